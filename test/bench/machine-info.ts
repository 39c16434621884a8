/** The machine and software a benchmark ran on, for the report. */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './relay-child';
import { CHROMIUM_PATH } from './client/client-bench';

const GIB = 1024 ** 3;

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGib: number;
  os: string;
  kernel: string;
  node: string;
  chromium: string;
  java: string;
  kafka: string;
  gitCommit: string;
  gitDirty: boolean;
  packages: Record<string, string>;
}

/** Packages whose versions decide the numbers. */
const PACKAGES = [
  'kafkajs',
  'socket.io',
  'socket.io-client',
  'fastify',
  'zod',
  'deck.gl',
  '@deck.gl/core',
  '@deck.gl/layers',
  '@deck.gl/mapbox',
  '@luma.gl/webgl',
  'maplibre-gl',
  'react',
  'playwright-core',
  'vite',
  'electron-vite',
];

/** A command's output, stdout and stderr together (`java -version` prints to stderr). */
function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() || 'unknown';
}

function packageVersion(name: string): string | null {
  try {
    const json = JSON.parse(
      readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8'),
    ) as {
      version: string;
    };
    return json.version;
  } catch {
    return null;
  }
}

export function machineInfo(): MachineInfo {
  const osRelease = readFileSync('/etc/os-release', 'utf8');
  const kafkaJar = (() => {
    try {
      return readdirSync(join(ROOT, '.cache/kafka/libs')).find((f) =>
        /^kafka_[\d.]+-[\d.]+\.jar$/.test(f),
      );
    } catch {
      return undefined;
    }
  })();
  const packages: Record<string, string> = {};
  for (const name of PACKAGES) {
    const version = packageVersion(name);
    if (version) packages[name] = version;
  }
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGib: totalmem() / GIB,
    os: /^PRETTY_NAME="(.*)"$/m.exec(osRelease)?.[1] ?? 'Linux',
    kernel: release(),
    node: process.version,
    // The Debian wrapper script prints a shell warning before the version on some machines.
    chromium: /Chromium [\d.]+/.exec(run(CHROMIUM_PATH, ['--version']))?.[0] ?? 'unknown',
    java: run('java', ['-version']).split('\n')[0]!.replace(/"/g, ''),
    kafka: kafkaJar
      ? `Apache Kafka ${kafkaJar.replace(/^kafka_[\d.]+-(.*)\.jar$/, '$1')} (KRaft, one node)`
      : 'unknown',
    gitCommit: run('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD']),
    gitDirty: run('git', ['-C', ROOT, 'status', '--porcelain']).length > 0,
    packages,
  };
}
