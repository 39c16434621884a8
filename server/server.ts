/**
 * The relay process: reads configuration, builds the app, listens, and shuts down cleanly on
 * SIGINT/SIGTERM. A bad configuration stops the start with one line naming the variable.
 */
import { existsSync } from 'node:fs';
import { buildApp } from './app';
import { ConfigError, describeMode, loadConfig, type Config } from './config';

/** Give in-flight work this long to finish on shutdown before exiting anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

/** A `.env` beside the relay fills variables the environment leaves unset. */
const ENV_FILE = '.env';

async function main(): Promise<void> {
  if (existsSync(ENV_FILE)) process.loadEnvFile(ENV_FILE);
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const app = await buildApp(config);
  const shutdown = (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS);
    force.unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  const address = await app.listen({ port: config.PORT, host: config.HOST });
  const mode = describeMode(config);
  app.log.info({ address, ...mode }, 'relay listening');
  // One plain line for people and for the launcher script, which waits for it.
  process.stdout.write(`RELAY_READY ${address.replace('[::1]', 'localhost')}/\n`);
}

main().catch((error: unknown) => {
  // A setting found bad only while the app is built (a street archive that cannot be read) is
  // said like any other bad setting: one line naming the variable.
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`relay failed to start: ${message}\n`);
  process.exit(1);
});
