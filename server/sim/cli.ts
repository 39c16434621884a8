/**
 * `npm run sim -- --kafka HOST:PORT [--vehicles N] [--seed S] [--duration SECONDS]`
 * Creates the seed topics (with the seed's partition counts) where missing, then produces the
 * simulator's rows into them at 1 Hz: a real deployment can be demonstrated and load-tested.
 */
import { parseArgs } from 'node:util';
import { loadRoadNetwork } from './road-network';
import { BusanSimulator } from './simulator';
import { SimKafkaProducer, ensureTopics } from './kafka-producer';

const TICK_MS = 1000;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      kafka: { type: 'string' },
      vehicles: { type: 'string', default: '2000' },
      seed: { type: 'string', default: 'busan-control-room' },
      duration: { type: 'string' },
    },
  });
  if (!values.kafka)
    fail('usage: npm run sim -- --kafka HOST:PORT [--vehicles N] [--seed S] [--duration SECONDS]');
  const brokers = values.kafka.split(',').map((b) => b.trim());
  if (brokers.some((b) => !/^[^:\s]+:\d+$/.test(b)))
    fail(`--kafka must be host:port[,host:port], got "${values.kafka}"`);
  const vehicles = Number(values.vehicles);
  if (!Number.isInteger(vehicles) || vehicles < 1)
    fail(`--vehicles must be a positive whole number, got "${values.vehicles}"`);
  const durationS = values.duration === undefined ? Infinity : Number(values.duration);
  if (!(durationS > 0))
    fail(`--duration must be a positive number of seconds, got "${values.duration}"`);

  const created = await ensureTopics(brokers);
  if (created.length > 0) console.log(`created topics: ${created.join(', ')}`);
  const producer = new SimKafkaProducer(brokers);
  await producer.connect();
  const start = Date.now();
  const simulator = new BusanSimulator(loadRoadNetwork(), {
    vehicles,
    seed: values.seed,
    startTimeMs: start,
    interlock: true,
  });
  let sent = await producer.send(simulator.masterData(start));
  console.log(`producing ${vehicles} vehicles into ${brokers.join(',')} (seed ${values.seed})`);

  let stopping = false;
  const stop = () => (stopping = true);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let next = start + TICK_MS;
  while (!stopping && Date.now() - start < durationS * 1000) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())));
    sent += await producer.send(simulator.tick(Date.now()));
    next += TICK_MS;
    if (Math.round((next - start) / TICK_MS) % 10 === 0) console.log(`${sent} rows sent`);
  }
  await producer.disconnect();
  console.log(`done: ${sent} rows sent`);
}

main().catch((error: unknown) => {
  fail(`sim failed: ${error instanceof Error ? error.message : String(error)}`);
});
