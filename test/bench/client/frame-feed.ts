/**
 * The client benchmark's source: the real relay, built in this process in its embedded mode with
 * no simulated vehicles, serving the product client (and the naive page beside it), while a
 * synthetic fleet of N vehicles moves once a second. The relay turns the fleet into its own
 * binary frames (delta every tick, key frame every 10 s) and vehicle table, exactly as for real
 * traffic; only the ingest path (Kafka or the simulator) is skipped, which the relay benchmark
 * measures separately.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../server/app';
import { loadConfig } from '../../../server/config';
import type { TopicRow } from '../../../shared/topics';
import { TEST_ADMIN_PASSWORD } from '../../support/auth';

/** Every vehicle moves once a second (the 1 Hz of the budget). */
export const FEED_INTERVAL_MS = 1000;
export const NAIVE_PATH = '/bench-naive/';

/** Where the synthetic vehicles drive: Busan's extent, each on its own small circle. */
const WEST = 128.85;
const SOUTH = 35.05;
const SPAN_LON = 0.35;
const SPAN_LAT = 0.25;
const CIRCLE_RADIUS_DEG = 0.003;
/** ~15 m/s along a 300 m circle. */
const STEP_RAD = 0.05;
/** Speeds spread over the palette's four speed colours (km/h). */
const MAX_SPEED_KMH = 90;
const GOLDEN = 0.618_033_988_75;
const SILVER = 0.414_213_562_37;

export interface FrameFeed {
  url: string;
  naiveUrl: string;
  app: FastifyInstance;
  vehicles: number;
  stop(): Promise<void>;
}

export interface FrameFeedOptions {
  /** Fills the relay's store before the relay opens it (the replay benchmark's history). */
  prepareStore?: (sqlitePath: string) => Promise<void>;
}

/** The car id of the feed's vehicle `v`. */
export const feedCarId = (v: number) => `BENCH-C${v}`;

export async function startFrameFeed(
  vehicles: number,
  clientDir: string,
  naiveDir: string,
  options: FrameFeedOptions = {},
): Promise<FrameFeed> {
  const dataDir = mkdtempSync(join(tmpdir(), 'control-room-bench-client-'));
  const sqlitePath = join(dataDir, 'control-room.sqlite');
  await options.prepareStore?.(sqlitePath);
  const app = await buildApp(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      SQLITE_PATH: sqlitePath,
      SIM_VEHICLES: '0',
      ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
      LOG_LEVEL: 'error',
      CLIENT_DIR: clientDir,
    }),
  );
  // The naive page beside the product, same origin: same relay, same CSP, same socket.
  await app.register(fastifyStatic, { root: naiveDir, prefix: NAIVE_PATH, decorateReply: false });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });

  const fleet = app.fleet;
  const startMs = Date.now();
  // Low-discrepancy spread: evenly covered, no clumps, deterministic.
  const baseLon = new Float64Array(vehicles);
  const baseLat = new Float64Array(vehicles);
  const speed = new Float32Array(vehicles);
  for (let v = 0; v < vehicles; v++) {
    baseLon[v] = WEST + ((v * GOLDEN) % 1) * SPAN_LON;
    baseLat[v] = SOUTH + ((v * SILVER) % 1) * SPAN_LAT;
    speed[v] = (v * 37) % MAX_SPEED_KMH;
    const carId = feedCarId(v);
    fleet.applyUservehicle({
      car_id: carId,
      age: 30 + (v % 40),
      user_sex: v % 2 === 0 ? '남' : '여',
      user_car_brand: 'Hyundai',
      car_plate_number: `${10 + (v % 90)}가${String(1000 + (v % 9000)).padStart(4, '0')}`,
      updated_at: startMs,
    });
    fleet.applySession({
      session_id: `BENCH-S${v}`,
      car_id: carId,
      start_time: startMs - 60_000,
      end_time: null,
    });
  }

  // One row object reused for every vehicle: the fleet copies what it keeps.
  const row: TopicRow<'driving_session_info'> = {
    info_id: '',
    session_id: '',
    app_lat: 0,
    app_lon: 0,
    speed: 0,
    app_rapid_acc: 0,
    app_weather_status: '맑음',
    dt: 0,
  };
  let generation = 0;
  const move = () => {
    const now = Date.now();
    for (let v = 0; v < vehicles; v++) {
      const angle = v + generation * STEP_RAD;
      row.info_id = `${v}-${generation}`;
      row.session_id = `BENCH-S${v}`;
      row.app_lon = baseLon[v]! + CIRCLE_RADIUS_DEG * Math.cos(angle);
      row.app_lat = baseLat[v]! + CIRCLE_RADIUS_DEG * Math.sin(angle);
      row.speed = speed[v]!;
      row.dt = now;
      fleet.applyInfo(row);
    }
    generation++;
  };
  move();
  const timer = setInterval(move, FEED_INTERVAL_MS);

  return {
    url: `${address}/`,
    naiveUrl: `${address}${NAIVE_PATH}`,
    app,
    vehicles,
    stop: async () => {
      clearInterval(timer);
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
