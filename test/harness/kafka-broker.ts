/**
 * Starts a real single-node Apache Kafka broker (KRaft, combined broker+controller, no ZooKeeper)
 * for tests and CI, from Kafka's own jars fetched by scripts/fetch-kafka.sh into
 * .cache/kafka/libs. Node built-ins only: this must work before any Kafka client is installed.
 *
 *   const kafka = await startKafkaBroker();
 *   // kafka.brokers === '127.0.0.1:40123'
 *   await kafka.restart(); // same port, same data
 *   await kafka.kill(); await kafka.start(); // kill -9, then back on the same port and data
 *   await kafka.stop();
 *
 * Start takes a few seconds (two JVM launches: storage format, then the broker), so give the
 * test hook that calls it a generous timeout (e.g. vitest `hookTimeout: 120_000`).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { mkdtemp, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, Socket, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type KafkaBroker = {
  /** Bootstrap servers string for clients, e.g. '127.0.0.1:40123'. */
  brokers: string;
  port: number;
  /** The broker's own log4j output; kept after stop() only when `logDir` was given. */
  logFile: string;
  /** SIGTERM, wait (SIGKILL after a grace period), then delete the data dir. Idempotent. */
  stop(): Promise<void>;
  /** Stop and start again on the same ports and data dir; topics and messages survive. */
  restart(): Promise<void>;
  /**
   * SIGKILL, as a crash or an OOM kill would (no clean shutdown); resolves once the process is
   * gone. The data dir stays: `start()` brings the broker back on the same ports and data.
   */
  kill(): Promise<void>;
  /** Starts a killed broker again on the same ports and data dir. */
  start(): Promise<void>;
};

export type StartKafkaBrokerOptions = {
  /**
   * Folder for the broker's log files (kafka-<port>.log, kafka-<port>.out), kept after stop,
   * e.g. to upload as a CI artifact. Default: inside the broker's temp dir, deleted on stop.
   */
  logDir?: string;
};

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const FETCH_SCRIPT = join(REPO_ROOT, 'scripts/fetch-kafka.sh');
const LIBS_DIR = join(REPO_ROOT, '.cache/kafka/libs');
/** Written by fetch-kafka.sh only after a complete fetch. */
const LIBS_MARKER = join(LIBS_DIR, '.fetched');

const HOST = '127.0.0.1';
const NODE_ID = 1;
const KAFKA_MAIN = 'kafka.Kafka';
const STORAGE_TOOL_MAIN = 'kafka.tools.StorageTool';

/** A cold fetch took 15-40 s here (Maven Central, 2 busy cores); leave room for a slow link. */
const FETCH_TIMEOUT_MS = 10 * 60_000;
const FORMAT_TIMEOUT_MS = 60_000;
const READY_TIMEOUT_MS = 90_000;
const READY_POLL_MS = 250;
/** Per probe request; the broker accepts TCP long before it answers requests. */
const PROBE_TIMEOUT_MS = 2_000;
const STOP_GRACE_MS = 20_000;
const LOG_TAIL_LINES = 60;

/** Logged by KafkaRaftServer once both the controller and the broker side are up. */
const STARTED_LOG_LINE = 'Kafka Server started';

/** Modest heap: tests run the broker next to vitest, the relay and a browser on 2 cores. */
const BROKER_HEAP = ['-Xms256m', '-Xmx768m'];
/** Same GC tuning as Kafka's kafka-run-class.sh / kafka-server-start.sh. */
const BROKER_GC = [
  '-XX:+UseG1GC',
  '-XX:MaxGCPauseMillis=20',
  '-XX:InitiatingHeapOccupancyPercent=35',
  '-XX:+ExplicitGCInvokesConcurrent',
];
const COMMON_JVM_FLAGS = [
  '-Djava.awt.headless=true',
  // Fail fast (and visibly, via the exit) instead of limping along in GC thrash.
  '-XX:+ExitOnOutOfMemoryError',
];
/** The storage tool is a one-shot: C1 only and a small heap start it fastest. */
const TOOL_JVM_FLAGS = ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

export async function startKafkaBroker(opts: StartKafkaBrokerOptions = {}): Promise<KafkaBroker> {
  await ensureKafkaJars();

  const workDir = await mkdtemp(join(tmpdir(), 'kafka-broker-'));
  liveWorkDirs.add(workDir);
  try {
    const [port, controllerPort] = await pickTwoFreePorts();
    const logDir = opts.logDir ? resolve(opts.logDir) : join(workDir, 'logs');
    mkdirSync(logDir, { recursive: true });

    const paths = {
      workDir,
      dataDir: join(workDir, 'data'),
      serverProperties: join(workDir, 'server.properties'),
      log4jProperties: join(workDir, 'log4j.properties'),
      // Port in the names: several brokers (parallel test files) may share one logDir.
      logFile: join(logDir, `kafka-${port}.log`),
      stdioFile: join(logDir, `kafka-${port}.out`),
    };
    await writeFile(paths.serverProperties, serverProperties(port, controllerPort, paths.dataDir));
    await writeFile(paths.log4jProperties, log4jProperties(paths.logFile));
    await formatStorage(paths.serverProperties);

    const broker = new BrokerProcess(port, paths);
    await broker.start();
    return {
      brokers: `${HOST}:${port}`,
      port,
      logFile: paths.logFile,
      stop: () => broker.stop(),
      restart: () => broker.restart(),
      kill: () => broker.kill(),
      start: () => broker.startAgain(),
    };
  } catch (err) {
    await removeWorkDir(workDir);
    throw err;
  }
}

type BrokerPaths = {
  workDir: string;
  dataDir: string;
  serverProperties: string;
  log4jProperties: string;
  logFile: string;
  stdioFile: string;
};

class BrokerProcess {
  private child: ChildProcess | undefined;
  /** Resolves when the current child is gone (exited, killed, or failed to spawn). */
  private gone: Promise<void> = Promise.resolve();
  private exitReason: string | undefined;
  private watchdog: ChildProcess | undefined;
  private stopping: Promise<void> | undefined;
  private removed = false;

  constructor(
    private readonly port: number,
    private readonly paths: BrokerPaths,
  ) {}

  async start(): Promise<void> {
    // Readiness is judged only on log lines written after this point (the file survives restarts).
    const logOffset = await fileSize(this.paths.logFile);
    const stdioFd = openSync(this.paths.stdioFile, 'a');
    let child: ChildProcess;
    try {
      child = spawn(
        'java',
        [
          ...BROKER_HEAP,
          ...BROKER_GC,
          ...COMMON_JVM_FLAGS,
          `-Dlog4j.configuration=file:${this.paths.log4jProperties}`,
          '-cp',
          classpath(),
          KAFKA_MAIN,
          this.paths.serverProperties,
        ],
        // stdout/stderr straight to a file: nothing to drain, and JVM crash output is kept.
        { cwd: this.paths.workDir, stdio: ['ignore', stdioFd, stdioFd] },
      );
    } finally {
      closeSync(stdioFd);
    }
    this.child = child;
    this.exitReason = undefined;
    liveProcesses.add(child);
    this.gone = new Promise<void>((resolveGone) => {
      // A failed spawn (no java) emits 'error' and maybe never 'exit'.
      child.once('error', (err) => {
        this.exitReason ??= `failed to run java: ${err.message}`;
        resolveGone();
      });
      child.once('exit', (code, signal) => {
        this.exitReason ??= `exit code ${code}, signal ${signal}`;
        resolveGone();
      });
    }).then(() => {
      liveProcesses.delete(child);
    });
    this.watchdog = startWatchdog(child, this.paths.workDir);

    try {
      await this.waitUntilReady(logOffset);
    } catch (err) {
      await this.stopProcess();
      throw err;
    }
  }

  /** Stops the broker and deletes its temp dir; concurrent and repeated calls share one stop. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.stopProcess();
      this.removed = true;
      await removeWorkDir(this.paths.workDir);
    })();
    return this.stopping;
  }

  async restart(): Promise<void> {
    if (this.stopping || this.removed) {
      throw new Error('Kafka broker was stopped; start a new one instead');
    }
    await this.stopProcess();
    await this.start();
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (child && this.exitReason === undefined) child.kill('SIGKILL');
    await this.stopProcess();
  }

  async startAgain(): Promise<void> {
    if (this.stopping || this.removed) {
      throw new Error('Kafka broker was stopped; start a new one instead');
    }
    if (this.child) throw new Error('Kafka broker is running; kill() it first');
    await this.start();
  }

  private async stopProcess(): Promise<void> {
    const child = this.child;
    if (child && this.exitReason === undefined) {
      child.kill('SIGTERM');
      const escalate = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await this.gone;
      clearTimeout(escalate);
    }
    await this.gone;
    this.child = undefined;
    this.watchdog?.kill('SIGKILL');
    this.watchdog = undefined;
  }

  private async waitUntilReady(logOffset: number): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    let sawStartedLine = false;
    let lastProbe = 'not probed yet';
    while (Date.now() < deadline) {
      if (this.exitReason !== undefined) {
        throw new Error(
          `Kafka broker exited during startup (${this.exitReason})\n${await this.logTail()}`,
        );
      }
      sawStartedLine ||= (await readFrom(this.paths.logFile, logOffset)).includes(STARTED_LOG_LINE);
      if (sawStartedLine) {
        // The log line says the server thinks it's up; real request round trips prove the
        // PLAINTEXT listener processes requests, the broker is registered and unfenced, and
        // consumer groups can be served.
        try {
          const brokers = await probeMetadata(this.port);
          if (!brokers.some((b) => b.port === this.port)) {
            lastProbe = `Metadata lists brokers ${JSON.stringify(brokers)}, not port ${this.port}`;
          } else {
            const errorCode = await probeGroupCoordinator(this.port);
            if (errorCode === 0) return;
            lastProbe = `FindCoordinator error ${KAFKA_ERROR_NAMES[errorCode] ?? errorCode}`;
          }
        } catch (err) {
          lastProbe = `request failed: ${err instanceof Error ? err.message : String(err)}`;
        }
      }
      await delay(READY_POLL_MS);
    }
    throw new Error(
      `Kafka broker on ${HOST}:${this.port} not ready after ${READY_TIMEOUT_MS / 1000}s ` +
        `(log line "${STARTED_LOG_LINE}" seen: ${sawStartedLine}; last probe: ${lastProbe})\n` +
        (await this.logTail()),
    );
  }

  private async logTail(): Promise<string> {
    const parts: string[] = [];
    for (const file of [this.paths.logFile, this.paths.stdioFile]) {
      const text = await readFile(file, 'utf8').catch(() => '');
      const tail = text.trimEnd().split('\n').slice(-LOG_TAIL_LINES).join('\n');
      parts.push(`--- tail of ${file} ---\n${tail || '(empty)'}`);
    }
    return parts.join('\n');
  }
}

// ---------------------------------------------------------------------------------------------
// Never leave a broker behind.

/** Broker JVMs and their watchdogs (killed too, so none outlives us to act on a recycled pid). */
const liveProcesses = new Set<ChildProcess>();
/** Temp dirs not yet removed, including ones whose broker is still being set up or crashed. */
const liveWorkDirs = new Set<string>();

// Normal exit, process.exit() and uncaught exceptions all run 'exit' listeners: clean up
// synchronously there (async work is impossible at that point). Signals and SIGKILL of this
// process don't run them; the watchdog below covers those.
process.on('exit', () => {
  for (const child of liveProcesses) child.kill('SIGKILL');
  for (const workDir of liveWorkDirs) {
    // Retries: a JVM killed a moment ago may still be creating files.
    rmSync(workDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
  }
});

async function removeWorkDir(workDir: string): Promise<void> {
  await rm(workDir, { recursive: true, force: true });
  liveWorkDirs.delete(workDir);
}

/**
 * A detached `sh` loop that outlives this process: once our pid is gone while the broker still
 * runs (test runner killed, worker crashed, Ctrl-C of a parent that isn't in our process group),
 * it stops the broker and deletes its temp dir. It exits by itself when the broker exits.
 */
function startWatchdog(child: ChildProcess, workDir: string): ChildProcess | undefined {
  if (child.pid === undefined) return undefined;
  const script = `
    parent=$1 child=$2 dir=$3 grace=$4
    while kill -0 "$parent" 2>/dev/null; do
      kill -0 "$child" 2>/dev/null || exit 0
      sleep 1
    done
    kill -TERM "$child" 2>/dev/null
    i=0
    while kill -0 "$child" 2>/dev/null && [ "$i" -lt "$grace" ]; do sleep 1; i=$((i + 1)); done
    kill -KILL "$child" 2>/dev/null
    rm -rf "$dir"
  `;
  const graceSeconds = String(Math.ceil(STOP_GRACE_MS / 1000));
  const watchdog = spawn(
    'sh',
    ['-c', script, 'kafka-watchdog', String(process.pid), String(child.pid), workDir, graceSeconds],
    { detached: true, stdio: 'ignore' },
  );
  watchdog.once('error', () => undefined); // no sh: lose only the crash safety net
  watchdog.unref();
  liveProcesses.add(watchdog);
  watchdog.once('exit', () => liveProcesses.delete(watchdog));
  return watchdog;
}

// ---------------------------------------------------------------------------------------------
// Jars, config, storage format.

function classpath(): string {
  // Java expands a trailing `dir/*` itself (all jars in dir); no shell involved.
  return join(LIBS_DIR, '*');
}

/** Runs scripts/fetch-kafka.sh (a no-op in ~0.1 s when the cache is current). */
async function ensureKafkaJars(): Promise<void> {
  const wasCached = existsSync(LIBS_MARKER);
  const { code, stdout, stderr } = await run('bash', [FETCH_SCRIPT], {
    cwd: REPO_ROOT,
    timeoutMs: FETCH_TIMEOUT_MS,
  });
  if (code !== 0) {
    throw new Error(`scripts/fetch-kafka.sh failed (exit ${code}):\n${stderr}${stdout}`.trimEnd());
  }
  // Stay quiet on the common warm path; say so when a test run paid for a download.
  if (!wasCached) process.stderr.write(stdout);
}

function serverProperties(port: number, controllerPort: number, dataDir: string): string {
  const props: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': NODE_ID,
    'controller.quorum.voters': `${NODE_ID}@${HOST}:${controllerPort}`,
    listeners: `PLAINTEXT://${HOST}:${port},CONTROLLER://${HOST}:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://${HOST}:${port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'log.dirs': dataDir,

    // Single node: internal topics must not ask for replicas that can't exist.
    'offsets.topic.replication.factor': 1,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'default.replication.factor': 1,
    'min.insync.replicas': 1,
    // One partition instead of 50 each: the first consumer group join / transaction would
    // otherwise create 50 partitions and make the first test that uses a group much slower.
    'offsets.topic.num.partitions': 1,
    'transaction.state.log.num.partitions': 1,
    // Tests join groups constantly; the default 3 s delay would be paid by every first join.
    'group.initial.rebalance.delay.ms': 0,
    'num.partitions': 1,
    // Tests must create their topics explicitly, as production does.
    'auto.create.topics.enable': false,

    // Small-machine footprint (2 cores shared with the test runner). Defaults are sized for
    // production: 3 network + 8 I/O + 10 background threads and a 128 MiB heap buffer for
    // the log cleaner (allocated up front; Kafka requires >= 1 MiB per cleaner thread).
    'num.network.threads': 2,
    'num.io.threads': 2,
    'background.threads': 2,
    'num.recovery.threads.per.data.dir': 1,
    'log.cleaner.threads': 1,
    'log.cleaner.dedupe.buffer.size': 8 * 1024 * 1024,
    // A test broker never needs rebalancing of leadership (there is one node).
    'auto.leader.rebalance.enable': false,
  };
  return toProperties(props);
}

function log4jProperties(logFile: string): string {
  // Kafka 3.9 is on log4j 1.x (reload4j), configured via -Dlog4j.configuration=file:...
  // (Kafka 4.x moved to log4j2 and -Dlog4j2.configurationFile; this file would be ignored there.)
  return toProperties({
    'log4j.rootLogger': 'INFO, file',
    'log4j.appender.file': 'org.apache.log4j.FileAppender',
    'log4j.appender.file.File': logFile,
    'log4j.appender.file.Append': true,
    'log4j.appender.file.layout': 'org.apache.log4j.PatternLayout',
    'log4j.appender.file.layout.ConversionPattern': '[%d] %p %m (%c)%n',
    // Per-partition state chatter and request traces bury the lines worth reading.
    'log4j.logger.state.change.logger': 'WARN',
    'log4j.logger.kafka.request.logger': 'WARN',
    'log4j.logger.org.apache.kafka.storage.internals.log.LogConfig': 'WARN',
    'log4j.logger.kafka.log.LogManager': 'WARN',
  });
}

async function formatStorage(serverPropertiesFile: string): Promise<void> {
  const workDir = dirname(serverPropertiesFile);
  // The tool logs WARN+ to stderr (shown if it fails) instead of dumping its whole KafkaConfig
  // into the broker log, where it would fill the log tail of a broker that then fails to start.
  // Without any config reload4j prints "log4j:WARN No appenders could be found" instead.
  const toolLog4j = join(workDir, 'log4j-tool.properties');
  await writeFile(
    toolLog4j,
    toProperties({
      'log4j.rootLogger': 'WARN, stderr',
      'log4j.appender.stderr': 'org.apache.log4j.ConsoleAppender',
      'log4j.appender.stderr.Target': 'System.err',
      'log4j.appender.stderr.layout': 'org.apache.log4j.PatternLayout',
      'log4j.appender.stderr.layout.ConversionPattern': '[%d] %p %m (%c)%n',
    }),
  );
  const { code, stdout, stderr } = await run(
    'java',
    [
      ...TOOL_JVM_FLAGS,
      ...COMMON_JVM_FLAGS,
      `-Dlog4j.configuration=file:${toolLog4j}`,
      '-cp',
      classpath(),
      STORAGE_TOOL_MAIN,
      'format',
      '--cluster-id',
      randomClusterId(),
      '--config',
      serverPropertiesFile,
    ],
    { cwd: workDir, timeoutMs: FORMAT_TIMEOUT_MS },
  );
  if (code !== 0) {
    throw new Error(`Kafka storage format failed (exit ${code}):\n${stdout}${stderr}`.trimEnd());
  }
}

/**
 * What `kafka-storage random-uuid` prints, without paying a JVM start: 16 random bytes as
 * unpadded base64url. Kafka's Uuid.randomUuid() re-rolls ids starting with '-' (they read as
 * a CLI flag), so do the same.
 */
function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** java.util.Properties text; escapes what Properties.load() would otherwise reinterpret. */
function toProperties(props: Record<string, string | number | boolean>): string {
  const escape = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
  return (
    Object.entries(props)
      .map(([key, value]) => `${key}=${escape(String(value))}`)
      .join('\n') + '\n'
  );
}

// ---------------------------------------------------------------------------------------------
// Readiness probes: raw Kafka requests (Node built-ins only, no client library). Old, fixed
// request versions keep the encoding trivial (no flexible/tagged fields); 3.9 serves them all.

const API_KEY_METADATA = 3;
const API_KEY_FIND_COORDINATOR = 10;
const CLIENT_ID = 'kafka-broker-harness';
/** Metadata v1 `topics: null` means "all topics"; an empty array would be "none". */
const ALL_TOPICS = -1;
/** Any group id will do: with offsets.topic.num.partitions=1 every group maps to partition 0. */
const PROBE_GROUP_ID = 'kafka-broker-harness-probe';
const KAFKA_ERROR_NAMES: Record<number, string> = {
  14: 'COORDINATOR_LOAD_IN_PROGRESS',
  15: 'COORDINATOR_NOT_AVAILABLE',
};

type MetadataBroker = { nodeId: number; host: string; port: number };

/**
 * Metadata v1. In KRaft a broker lists only registered, unfenced brokers, and answers at all
 * only once request processing is enabled (it accepts TCP much earlier).
 */
async function probeMetadata(port: number): Promise<MetadataBroker[]> {
  const body = Buffer.alloc(4);
  body.writeInt32BE(ALL_TOPICS);
  const reader = await kafkaRequest(port, API_KEY_METADATA, 1, body);
  const brokers: MetadataBroker[] = [];
  for (let n = reader.int32(); n > 0; n--) {
    const nodeId = reader.int32();
    const host = reader.string();
    const brokerPort = reader.int32();
    reader.string(); // rack (nullable)
    brokers.push({ nodeId, host, port: brokerPort });
  }
  return brokers;
}

/**
 * FindCoordinator v0 for a consumer group; resolves with the Kafka error code (0 = ready). The
 * first call creates __consumer_offsets; after a restart the coordinator needs a moment to
 * reload it. Waiting here spares every test's first consumer the "group coordinator is not
 * available" retry loop.
 */
async function probeGroupCoordinator(port: number): Promise<number> {
  const body = encodeString(PROBE_GROUP_ID);
  const reader = await kafkaRequest(port, API_KEY_FIND_COORDINATOR, 0, body);
  return reader.int16();
}

/** One request on a fresh connection; returns a reader positioned after the response header. */
async function kafkaRequest(
  port: number,
  apiKey: number,
  apiVersion: number,
  body: Buffer,
): Promise<BufferReader> {
  const correlationId = Math.floor(Math.random() * 0x7fffffff);
  // Request header v1: api_key, api_version, correlation_id, client_id.
  const header = Buffer.alloc(8);
  header.writeInt16BE(apiKey, 0);
  header.writeInt16BE(apiVersion, 2);
  header.writeInt32BE(correlationId, 4);
  const payload = Buffer.concat([header, encodeString(CLIENT_ID), body]);
  const sizePrefix = Buffer.alloc(4);
  sizePrefix.writeInt32BE(payload.length);

  const response = await kafkaRoundTrip(port, Buffer.concat([sizePrefix, payload]));
  const reader = new BufferReader(response);
  // Response header v0: correlation_id.
  if (reader.int32() !== correlationId) {
    throw new Error(`api key ${apiKey} response has the wrong correlation id`);
  }
  return reader;
}

function encodeString(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  const length = Buffer.alloc(2);
  length.writeInt16BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** Sends one size-prefixed request, resolves with the response payload (without its size). */
function kafkaRoundTrip(port: number, request: Buffer): Promise<Buffer> {
  return new Promise((resolveResponse, reject) => {
    const socket = new Socket();
    let received = Buffer.alloc(0);
    const fail = (err: Error): void => {
      socket.destroy();
      reject(err);
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => fail(new Error('no response in time')));
    socket.once('error', fail);
    socket.once('close', () => reject(new Error('connection closed before a response')));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4) return;
      const size = received.readInt32BE(0);
      if (received.length < 4 + size) return;
      socket.destroy();
      resolveResponse(received.subarray(4, 4 + size));
    });
    socket.connect(port, HOST, () => socket.write(request));
  });
}

class BufferReader {
  private offset = 0;
  constructor(private readonly buf: Buffer) {}

  int16(): number {
    const v = this.buf.readInt16BE(this.offset);
    this.offset += 2;
    return v;
  }

  int32(): number {
    const v = this.buf.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  /** Kafka STRING / NULLABLE_STRING: int16 length (-1 = null), then UTF-8 bytes. */
  string(): string {
    const length = this.int16();
    if (length < 0) return '';
    const v = this.buf.toString('utf8', this.offset, this.offset + length);
    this.offset += length;
    return v;
  }
}

// ---------------------------------------------------------------------------------------------
// Small helpers.

/**
 * Binds two ephemeral loopback ports at once (so they differ), then releases them for Kafka.
 * There is a small window for another process to take one; Kafka then fails fast with
 * "Address already in use" in the log tail.
 */
async function pickTwoFreePorts(): Promise<[number, number]> {
  const listen = (): Promise<Server> =>
    new Promise((resolveServer, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, HOST, () => resolveServer(server));
    });
  const servers = await Promise.all([listen(), listen()]);
  const [a, b] = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  if (a === undefined || b === undefined) throw new Error('could not pick free ports');
  return [a, b];
}

function run(
  command: string,
  args: string[],
  { cwd, timeoutMs }: { cwd: string; timeoutMs: number },
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolveRun) => {
    execFile(
      command,
      args,
      { cwd, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => {
        const failure = err as (NodeJS.ErrnoException & { code?: number | string }) | null;
        const code = failure ? (typeof failure.code === 'number' ? failure.code : 1) : 0;
        // ENOENT (no java/bash) or a timeout has no exit code; put the reason in the output.
        const reason = failure && typeof failure.code !== 'number' ? `${failure.message}\n` : '';
        resolveRun({ code, stdout, stderr: reason + stderr });
      },
    );
  });
}

async function fileSize(file: string): Promise<number> {
  return stat(file).then(
    (s) => s.size,
    () => 0,
  );
}

async function readFrom(file: string, offset: number): Promise<string> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return '';
  try {
    const { size } = await handle.stat();
    if (size <= offset) return '';
    const buf = Buffer.alloc(size - offset);
    await handle.read(buf, 0, buf.length, offset);
    return buf.toString('utf8');
  } finally {
    await handle.close();
  }
}

function delay(ms: number): Promise<void> {
  // Deliberately ref'd: while polling a broker that died, this timer is what keeps the event
  // loop (and so the pending startKafkaBroker promise) alive.
  return new Promise((r) => setTimeout(r, ms));
}
