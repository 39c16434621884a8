#!/usr/bin/env bash
# Fills .cache/kafka/libs with the jars of a single-node Apache Kafka broker (the version pinned
# in test/harness/kafka/pom.xml), resolved from Maven Central by Maven. Used by
# test/harness/kafka-broker.ts; safe to run any number of times and from parallel test workers.
#
#   scripts/fetch-kafka.sh      -> prints one line saying what it did
#
# The Maven local repository lives in .cache/m2 (not ~/.m2) so a fresh CI machine behaves exactly
# like a developer's, and caching .cache/ alone makes CI warm.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
POM="$ROOT/test/harness/kafka/pom.xml"
KAFKA_CACHE="$ROOT/.cache/kafka"
LIBS="$KAFKA_CACHE/libs"
MARKER_NAME=".fetched"
M2_REPO="$ROOT/.cache/m2/repository"
# Kafka 3.9 runs on Java 11+, but 17 is what upstream tests and recommends.
MIN_JAVA_MAJOR=11

die() {
  echo "fetch-kafka: $*" >&2
  exit 1
}

# The broker itself needs java even when the jars are cached, so check it every time.
command -v java >/dev/null 2>&1 ||
  die "java not found on PATH; install a JDK/JRE ${MIN_JAVA_MAJOR}+ (e.g. apt-get install openjdk-17-jre-headless)"
# `java -version` prints e.g. 'openjdk version "17.0.15" ...' (or "1.8.0_x" on Java 8) on stderr.
java_version="$(java -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)"
java_major="${java_version%%.*}"
[ "$java_major" = "1" ] && java_major="$(echo "$java_version" | cut -d. -f2)"
case "$java_major" in
  '' | *[!0-9]*) die "could not parse the Java version from 'java -version' (got '$java_version')" ;;
esac
[ "$java_major" -ge "$MIN_JAVA_MAJOR" ] ||
  die "Java $java_version is too old for Kafka; need ${MIN_JAVA_MAJOR}+ (17 recommended)"

[ -f "$POM" ] || die "missing $POM"
kafka_version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM" | head -n 1)"
[ -n "$kafka_version" ] || die "no <kafka.version> in $POM"

hash_file() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  else
    shasum -a 256 "$1" | cut -d' ' -f1 # macOS
  fi
}
# Keyed on the whole POM, not just the version, so any edit there (bindings, exclusions) refetches.
wanted_marker="kafka_2.13 $kafka_version pom-sha256 $(hash_file "$POM")"

is_current() {
  [ -f "$LIBS/$MARKER_NAME" ] && [ "$(cat "$LIBS/$MARKER_NAME")" = "$wanted_marker" ]
}

if is_current; then
  echo "fetch-kafka: Kafka $kafka_version jars already in .cache/kafka/libs, nothing to do"
  exit 0
fi

command -v mvn >/dev/null 2>&1 ||
  die "mvn not found on PATH; install Apache Maven 3.6.3+ (e.g. apt-get install maven)"

mkdir -p "$KAFKA_CACHE"
# Parallel test workers may all find the cache cold; Maven's local repository is not safe for
# concurrent writers, so serialise on a lock where flock(1) exists (Linux). Elsewhere the atomic
# rename below still keeps the folder consistent, only the download may happen twice.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$KAFKA_CACHE/.fetch.lock"
  flock 9
  if is_current; then
    echo "fetch-kafka: Kafka $kafka_version jars already in .cache/kafka/libs (fetched by a parallel run)"
    exit 0
  fi
fi

# Fill a scratch folder and swap it in at the end, so an interrupted fetch never leaves a
# half-filled libs/ behind, and jars of a previous version never mix into the classpath.
tmp_libs="$(mktemp -d "$KAFKA_CACHE/libs.tmp.XXXXXX")"
chmod 755 "$tmp_libs" # mktemp makes it 0700; the cache should read like any other folder
trap 'rm -rf "$tmp_libs"' EXIT

# Maven's output goes to a log shown only on failure: even with -B -q, Maven 3.8's jansi writes
# stray ESC[0m resets to the terminal, and callers want a single line from this script.
mvn_log="$KAFKA_CACHE/fetch-mvn.log"
started_at="$(date +%s)"
if ! mvn -B -q \
  -f "$POM" \
  -Dmaven.repo.local="$M2_REPO" \
  dependency:copy-dependencies \
  -DoutputDirectory="$tmp_libs" >"$mvn_log" 2>&1; then
  tail -n 40 "$mvn_log" | sed 's/\x1b\[[0-9;]*m//g' >&2
  die "mvn failed to resolve Kafka $kafka_version (log tail above, full log in $mvn_log); is Maven Central reachable?"
fi

ls "$tmp_libs"/kafka_2.13-"$kafka_version".jar >/dev/null 2>&1 ||
  die "mvn finished but kafka_2.13-$kafka_version.jar is not in the output"
echo "$wanted_marker" >"$tmp_libs/$MARKER_NAME"

rm -rf "$LIBS"
mv "$tmp_libs" "$LIBS"
trap - EXIT

jar_count="$(find "$LIBS" -name '*.jar' | wc -l | tr -d ' ')"
size="$(du -sh "$LIBS" | cut -f1)"
echo "fetch-kafka: fetched Kafka $kafka_version ($jar_count jars, $size) into .cache/kafka/libs in $(($(date +%s) - started_at))s"
