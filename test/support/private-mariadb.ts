/**
 * A MariaDB server of the test's own, for fault tests that kill the database (the shared one on
 * 3306 must never be stopped): `mariadb-install-db` into a temp dir, `mariadbd` on a free loopback
 * port with its socket and pid file in that dir, root without a password.
 *
 *   const db = await startPrivateMariaDb();
 *   db.url('cr_outage')   // mysql://root@127.0.0.1:<port>/cr_outage (created on start)
 *   await db.kill();      // kill -9: clients see refused and lost connections
 *   await db.start();     // the same port and data dir again
 *   await db.stop();      // kill, then delete the temp dir (also on process exit)
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, rmSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';

const HOST = '127.0.0.1';
const INSTALL_TIMEOUT_MS = 120_000;
const READY_TIMEOUT_MS = 60_000;
const READY_POLL_MS = 200;
const LOG_TAIL_CHARS = 4_000;
/** Small buffers: the server shares two cores with the relay, Kafka and the tests. */
const SERVER_FLAGS = [
  '--innodb-buffer-pool-size=64M',
  '--innodb-log-file-size=16M',
  '--performance-schema=OFF',
  '--skip-log-bin',
  '--character-set-server=utf8mb4',
  '--collation-server=utf8mb4_unicode_ci',
  '--max-connections=200',
];

export interface PrivateMariaDb {
  port: number;
  /** `mysql://root@127.0.0.1:<port>/<database>` */
  url(database: string): string;
  /** Creates a utf8mb4 database (while the server runs). */
  createDatabase(name: string): Promise<void>;
  /** Starts the server again on the same port and data dir (after `kill`). */
  start(): Promise<void>;
  /** SIGKILL, as a crash or an OOM kill would; resolves once the process is gone. */
  kill(): Promise<void>;
  /** Kills the server and deletes its temp dir. Idempotent. */
  stop(): Promise<void>;
}

const liveServers = new Set<ChildProcess>();
const liveDirs = new Set<string>();
process.on('exit', () => {
  for (const child of liveServers) child.kill('SIGKILL');
  for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
});

export async function startPrivateMariaDb(): Promise<PrivateMariaDb> {
  const dir = await mkdtemp(join(tmpdir(), 'private-mariadb-'));
  liveDirs.add(dir);
  const dataDir = join(dir, 'data');
  const paths = {
    socket: join(dir, 'mariadbd.sock'),
    pid: join(dir, 'mariadbd.pid'),
    log: join(dir, 'mariadbd.log'),
  };
  await run('mariadb-install-db', [
    '--no-defaults',
    `--datadir=${dataDir}`,
    '--user=root',
    '--auth-root-authentication-method=normal',
    '--skip-test-db',
    '--skip-name-resolve',
  ]);
  const port = await freePort();
  let child: ChildProcess | undefined;
  let gone: Promise<void> = Promise.resolve();
  let stopped = false;

  const start = async (): Promise<void> => {
    if (stopped) throw new Error('private MariaDB was stopped');
    const logFd = openSync(paths.log, 'a');
    const server = spawn(
      'mariadbd',
      [
        '--no-defaults',
        `--datadir=${dataDir}`,
        `--port=${port}`,
        `--bind-address=${HOST}`,
        `--socket=${paths.socket}`,
        `--pid-file=${paths.pid}`,
        '--user=root',
        '--skip-name-resolve',
        ...SERVER_FLAGS,
      ],
      { stdio: ['ignore', logFd, logFd] },
    );
    closeSync(logFd);
    child = server;
    liveServers.add(server);
    let exited: string | undefined;
    gone = new Promise<void>((resolve) => {
      server.once('error', (error) => {
        exited ??= error.message;
        resolve();
      });
      server.once('exit', (code, signal) => {
        exited ??= `exit code ${code}, signal ${signal}`;
        resolve();
      });
    }).then(() => {
      liveServers.delete(server);
    });
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      if (exited !== undefined) throw new Error(`mariadbd exited (${exited})\n${await tail()}`);
      try {
        const connection = await createConnection({ host: HOST, port, user: 'root' });
        await connection.query('select 1');
        await connection.end();
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(
            `mariadbd on ${HOST}:${port} not ready: ${String(error)}\n${await tail()}`,
          );
        }
      }
      await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
    }
  };

  const kill = async (): Promise<void> => {
    child?.kill('SIGKILL');
    await gone;
    child = undefined;
  };

  const tail = async (): Promise<string> =>
    (await readFile(paths.log, 'utf8').catch(() => '')).slice(-LOG_TAIL_CHARS);

  try {
    await start();
  } catch (error) {
    await kill();
    await rm(dir, { recursive: true, force: true });
    liveDirs.delete(dir);
    throw error;
  }

  return {
    port,
    url: (database) => `mysql://root@${HOST}:${port}/${database}`,
    createDatabase: async (name) => {
      const connection = await createConnection({ host: HOST, port, user: 'root' });
      try {
        await connection.query(
          `CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
        );
      } finally {
        await connection.end();
      }
    },
    start,
    kill,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await kill();
      await rm(dir, { recursive: true, force: true });
      liveDirs.delete(dir);
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: INSTALL_TIMEOUT_MS }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} failed: ${error.message}\n${stdout}${stderr}`));
      else resolve();
    });
  });
}
