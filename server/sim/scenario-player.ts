/**
 * The embedded source's scenario slot: at most one scenario plays at a time (a new one replaces
 * it, starting at its load). Each simulator tick asks it for what is due; it switches the TCS
 * stand-in (`npm run tcs-mock`, through its `POST /__mode`) into `fail` for an outage and back to
 * `accept` after it. The rows themselves come from the pure ScenarioRunner.
 */
import type { FastifyBaseLogger } from 'fastify';
import {
  ALL_RANDOM_EVENTS,
  type RandomEventSwitches,
  type ScenarioStatusResponse,
} from '../../shared/scenarios';
import type { LoadedScenario } from './scenario-file';
import { ScenarioRunner, type ScenarioStep } from './scenario-runner';

/** A stand-in that does not answer within this long is reported, and tried again next tick. */
const TCS_SWITCH_TIMEOUT_MS = 3000;

export interface ScenarioPlayerOptions {
  seed: string;
  /** Where the TCS stand-in listens (TCS_URL), or null: outages cannot be played. */
  tcsUrl: string | null;
  log: FastifyBaseLogger;
  /** The simulator's random-event switches follow the scenario playing. */
  onRandomEvents: (switches: RandomEventSwitches) => void;
  fetch?: typeof fetch;
}

export interface ScenarioTick extends ScenarioStep {
  /** No positions this tick (a feed stall). */
  feedStalled: boolean;
}

const EMPTY_TICK: ScenarioTick = {
  lists: {},
  events: {},
  interlock: null,
  fired: [],
  feedStalled: false,
};

export class ScenarioPlayer {
  private runner: ScenarioRunner | null = null;
  /** What the stand-in was last told: null before any outage, so nothing is sent needlessly. */
  private tcsTold: 'fail' | 'accept' | null = null;
  private switching: Promise<void> | null = null;

  constructor(private readonly options: ScenarioPlayerOptions) {}

  /** Why this scenario cannot play here, or null. */
  refusal(loaded: LoadedScenario): string | null {
    if (
      this.options.tcsUrl === null &&
      loaded.scenario.events.some((e) => e.type === 'tcs_outage')
    ) {
      return 'a tcs_outage needs TCS_URL pointing at the TCS stand-in (npm run tcs-mock)';
    }
    return null;
  }

  /** Starts a scenario at `startMs`, replacing the one playing (its outage ends now). */
  load(loaded: LoadedScenario, startMs: number): ScenarioRunner {
    this.runner = new ScenarioRunner({
      scenario: loaded.scenario,
      seed: this.options.seed,
      startMs,
      places: loaded.places,
    });
    this.options.onRandomEvents(this.runner.randomEvents);
    this.options.log.info(
      { scenario: loaded.scenario.name, events: loaded.scenario.events.length, startMs },
      'scenario started',
    );
    return this.runner;
  }

  /** What is due at `nowMs`; also moves the TCS stand-in in or out of an outage. */
  advance(nowMs: number): ScenarioTick {
    const runner = this.runner;
    if (!runner) return EMPTY_TICK;
    this.followOutage(runner.tcsDown(nowMs));
    const step = runner.advance(nowMs);
    for (const fired of step.fired) {
      this.options.log.info(
        {
          scenario: runner.scenario.name,
          event: fired.index,
          type: fired.type,
          offsetMs: fired.offsetMs,
        },
        'scenario event',
      );
    }
    return { ...step, feedStalled: runner.feedStalled(nowMs) };
  }

  status(nowMs: number): ScenarioStatusResponse {
    const runner = this.runner;
    if (!runner) return { scenario: null };
    return {
      scenario: {
        name: runner.scenario.name,
        startedAtMs: runner.startMs,
        events: runner.scenario.events.length,
        fired: [...runner.fired],
        feedStalled: runner.feedStalled(nowMs),
        tcsDown: runner.tcsDown(nowMs),
        randomEvents: { ...runner.randomEvents },
      },
    };
  }

  /** On close: a stand-in left failing would fail the next run's hand-offs. */
  async stop(): Promise<void> {
    await this.switching;
    if (this.tcsTold === 'fail') await this.tellTcs('accept');
    this.runner = null;
    this.options.onRandomEvents({ ...ALL_RANDOM_EVENTS });
  }

  private followOutage(down: boolean): void {
    const wanted = down ? 'fail' : 'accept';
    if (this.switching || this.tcsUrl === null) return;
    if (this.tcsTold === wanted || (this.tcsTold === null && !down)) return;
    this.switching = this.tellTcs(wanted).finally(() => {
      this.switching = null;
    });
  }

  private get tcsUrl(): string | null {
    return this.options.tcsUrl;
  }

  private async tellTcs(mode: 'fail' | 'accept'): Promise<void> {
    const url = new URL('/__mode', this.tcsUrl!);
    try {
      const response = await (this.options.fetch ?? fetch)(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ mode }),
        signal: AbortSignal.timeout(TCS_SWITCH_TIMEOUT_MS),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      this.tcsTold = mode;
      this.options.log.info({ mode }, 'scenario: TCS stand-in switched');
    } catch (error) {
      // Tried again on the next tick; a real TCS has no /__mode and says so here.
      this.options.log.error(
        { err: error, url: url.toString() },
        'scenario: TCS stand-in did not switch',
      );
    }
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The scenario slot of the embedded source (plugin `source`); absent on Kafka. */
    scenarios?: ScenarioPlayer;
  }
}
