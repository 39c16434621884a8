/**
 * The embedded source: the built-in Busan traffic simulator, ticking at 1 Hz into the same ingest
 * path a Kafka source uses. Ticks never overlap: while one is still running, the next is skipped
 * (the simulator moves by elapsed time, so a skipped tick's motion is in the next one) instead of
 * queueing behind it without bound.
 */
import fp from 'fastify-plugin';
import { TOPIC_NAMES } from '../../shared/topics';
import type { RawMessage } from '../ingest/pipeline';
import { sharedRoadNetwork } from '../sim/road-network';
import { ScenarioPlayer } from '../sim/scenario-player';
import { mergeBatch } from '../sim/scenario-runner';
import { BusanSimulator, type SimBatch } from '../sim/simulator';
import { pruneHistory } from '../store/seed-writer';
import { writeRegistryTables } from '../registry/registry-tables';

export const SIM_TICK_MS = 1000;
/**
 * A tick's rows go through the ingest path in slices of this many, with a turn of the event loop
 * between them: decoding and applying 50,000 rows at once held the loop for ~250 ms every second
 * (profile at 50,000 vehicles), and a socket handshake or /healthz waited behind it.
 */
export const INGEST_SLICE_MESSAGES = 5_000;
const PRUNE_INTERVAL_MS = 60_000;

export function batchToMessages(batch: SimBatch): RawMessage[] {
  const messages: RawMessage[] = [];
  for (const topic of TOPIC_NAMES) {
    for (const row of batch[topic] ?? []) {
      messages.push({ topic, partition: null, offset: null, value: row as object });
    }
  }
  return messages;
}

export default fp(
  async (app) => {
    const startMs = Date.now();
    const simulator = new BusanSimulator(sharedRoadNetwork(), {
      vehicles: app.config.SIM_VEHICLES,
      seed: app.config.SIM_SEED,
      startTimeMs: startMs,
      interlock: true,
    });
    app.decorate('source', { kind: 'sim', lag: () => ({ total: 0, byPartition: [] }) });
    // QA scenarios (docs/TESTING.md): SIM_SCENARIO starts with the relay, POST /api/sim/scenario later.
    const scenarios = new ScenarioPlayer({
      seed: app.config.SIM_SEED,
      tcsUrl: app.config.TCS_URL ?? null,
      log: app.log,
      onRandomEvents: (switches) => {
        simulator.randomEvents = switches;
      },
    });
    if (app.config.SIM_SCENARIO) scenarios.load(app.config.SIM_SCENARIO, startMs);
    app.decorate('scenarios', scenarios);

    let timer: NodeJS.Timeout | undefined;
    let running: Promise<void> = Promise.resolve();
    let busy = false;
    let lastPruneMs = 0;
    let pruning: Promise<void> | null = null;
    let stopped = false;

    const runTick = async () => {
      const now = Date.now();
      try {
        const scenario = scenarios.advance(now);
        // A feed stall: the simulator runs on (its motion stays the same) but sends no positions.
        const batch = simulator.tick(now, { sessionInfo: !scenario.feedStalled });
        const messages = batchToMessages(mergeBatch(batch, scenario.events));
        // In topic order (sessions before their positions), one slice at a time; frames wait
        // for the whole tick (FleetState.beginBatch).
        app.fleet.beginBatch(now);
        try {
          // A scenario's list rows and interlock devices first: its hits and violations need them.
          if (scenario.interlock && app.hasDecorator('interlock')) {
            await app.interlock.saveMasterData(scenario.interlock, now);
          }
          const lists = batchToMessages(scenario.lists);
          if (lists.length > 0) await app.ingest.ingest(lists, now);
          for (let i = 0; i < messages.length; i += INGEST_SLICE_MESSAGES) {
            if (i > 0) await new Promise((resolve) => setImmediate(resolve));
            await app.ingest.ingest(messages.slice(i, i + INGEST_SLICE_MESSAGES), now);
          }
        } finally {
          app.fleet.endBatch();
        }
        // Many relays on one database: one prunes (its lease).
        if (now - lastPruneMs >= PRUNE_INTERVAL_MS && !pruning && app.leases.holds('retention')) {
          lastPruneMs = now;
          const retentionMs = app.config.HISTORY_RETENTION_MINUTES * 60_000;
          // Not awaited: the map must not wait for it. On the writer's thread where it has one
          // (a minute of a large fleet is millions of rows).
          pruning = (
            app.seedWriter
              ? app.seedWriter.prune(now - retentionMs)
              : pruneHistory(app.store.db, now - retentionMs)
          )
            .catch((error: unknown) => app.log.error({ err: error }, 'history prune failed'))
            .then(() => {
              pruning = null;
            });
        }
      } catch (error) {
        app.log.error({ err: error }, 'simulator tick failed');
      }
    };

    app.addHook('onReady', async () => {
      await app.ingest.ingest(batchToMessages(simulator.masterData(startMs)), startMs);
      // The interlock registry is not on a topic: the interlock operations system keeps it in its
      // tables. The simulator writes those tables as that system would, and the relay reads them
      // like a connected one (server/registry/); then deadlines already missed are found at once.
      const interlock = simulator.interlockMasterData();
      if (interlock && app.hasDecorator('registry')) {
        await writeRegistryTables(app.store.db, app.store.kind, interlock, startMs);
        await app.registry.refresh('start');
        await app.interlock.checkOverdue(startMs);
      } else if (interlock && app.hasDecorator('interlock')) {
        await app.interlock.saveMasterData(interlock, startMs);
        await app.interlock.checkOverdue(startMs);
      }
      await runTick();
      timer = setInterval(() => {
        if (stopped || busy) return;
        busy = true;
        running = runTick().finally(() => {
          busy = false;
        });
      }, SIM_TICK_MS);
      app.log.info(
        { vehicles: app.config.SIM_VEHICLES, seed: app.config.SIM_SEED },
        'simulator running',
      );
    });
    app.addHook('preClose', async () => {
      stopped = true;
      clearInterval(timer);
      await running;
      await scenarios.stop();
      await pruning;
    });
  },
  { name: 'source', dependencies: ['fleet'] },
);
