/**
 * The TCS adapter: the hand-off service and its worker, which sends approved hand-offs to the
 * police TCS (signed, with a time-out, behind a circuit breaker) and resumes pending ones after a
 * restart. Without TCS_URL nothing is sent: hand-offs wait in `queued` and the status says so.
 */
import fp from 'fastify-plugin';
import { Counter, Gauge } from 'prom-client';
import { DISPATCH_STATES } from '../../shared/interlock';
import { ConfigError } from '../config';
import { readMetricSource } from '../metrics';
import {
  CircuitBreaker,
  DEFAULT_BREAKER_POLICY,
  DEFAULT_DISPATCH_POLICY,
} from '../domain/tcs-dispatch';
import { countDispatchesByState } from '../store/dispatch-repository';
import { DispatchService } from '../tcs/dispatch-service';
import { TcsClient } from '../tcs/tcs-client';
import { tcsCa } from '../transport-security';

export default fp(
  async (app) => {
    const config = app.config;
    if (config.TCS_URL && !config.TCS_SECRET) {
      throw new ConfigError(
        'TCS_SECRET',
        'must be set when TCS_URL is set (requests to TCS are signed)',
      );
    }
    const client =
      config.TCS_URL && config.TCS_SECRET
        ? new TcsClient({
            url: config.TCS_URL,
            secret: config.TCS_SECRET,
            timeoutMs: config.TCS_TIMEOUT_MS,
            ca: tcsCa(config),
          })
        : null;
    const registry = app.metrics.registry;
    const attempts = new Counter({
      name: 'relay_tcs_attempts_total',
      help: 'Attempts to file a case with the police TCS, by outcome',
      labelNames: ['outcome'] as const,
      registers: [registry],
    });
    const service = new DispatchService({
      db: app.store.db,
      feed: app.changes,
      policy: {
        ...DEFAULT_DISPATCH_POLICY,
        maxAttempts: config.TCS_MAX_ATTEMPTS,
        retryBaseMs: config.TCS_RETRY_BASE_MS,
      },
      client,
      breaker: new CircuitBreaker({
        ...DEFAULT_BREAKER_POLICY,
        cooldownMs: config.TCS_BREAKER_COOLDOWN_MS,
      }),
      timeoutMs: config.TCS_TIMEOUT_MS,
      log: app.log,
      alerts: app.alerts,
      onAttempt: (outcome) => attempts.inc({ outcome }),
      // Many relays: one sends (its lease); a hand-off approved elsewhere waits for its poll.
      mayWork: () => app.leases.holds('tcs-worker'),
    });
    new Gauge({
      name: 'relay_tcs_dispatches',
      help: 'TCS hand-offs by state',
      labelNames: ['state'] as const,
      registers: [registry],
      // A database outage must not fail the whole scrape: keep the last counts (see readMetricSource).
      async collect() {
        const counts = await readMetricSource(app.metrics, 'tcs_dispatches', () =>
          countDispatchesByState(app.store.db),
        );
        if (!counts) return;
        for (const state of DISPATCH_STATES) this.set({ state }, counts[state] ?? 0);
      },
    });
    new Gauge({
      name: 'relay_tcs_success_ratio',
      help: 'TCS link success: finished hand-offs TCS answered (accepted or refused on content) of those the link decided (KPI target 0.99); NaN before any',
      registers: [registry],
      async collect() {
        const stats = await readMetricSource(app.metrics, 'tcs_stats', () => service.stats());
        if (stats) this.set(stats.successRate ?? Number.NaN);
      },
    });
    new Gauge({
      name: 'relay_tcs_case_ratio',
      help: 'Finished TCS hand-offs that ended in a case (accepted, or filed by a person); NaN before any',
      registers: [registry],
      async collect() {
        const stats = await readMetricSource(app.metrics, 'tcs_stats', () => service.stats());
        if (stats) this.set(stats.caseRate ?? Number.NaN);
      },
    });
    new Gauge({
      name: 'relay_tcs_circuit_open',
      help: '1 while the TCS circuit breaker holds attempts back (open or half-open), else 0',
      registers: [registry],
      collect() {
        this.set(service.status().breaker === 'closed' ? 0 : 1);
      },
    });
    app.decorate('tcs', service);

    app.addHook('onReady', async () => {
      if (client) {
        service.start();
        // Taken over from a relay that died: pending and interrupted hand-offs go out now.
        app.leases.onChange((name, held) => {
          if (name === 'tcs-worker' && held) service.kick();
        });
        app.log.info({ endpoint: client.endpoint }, 'TCS hand-off worker running');
      } else {
        app.log.warn('TCS_URL is not set: approved TCS hand-offs wait in the queue');
      }
    });
    app.addHook('preClose', async () => {
      await service.stop();
      client?.close();
    });
  },
  { name: 'tcs', dependencies: ['database', 'changes', 'interlock', 'alerts', 'leases'] },
);
