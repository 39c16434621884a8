/**
 * Reading a QA scenario: JSON text → the schema (shared/scenarios.ts) → every place resolved.
 * One function for both ways in (SIM_SCENARIO at start, POST /api/sim/scenario at run time), so
 * a file the relay refuses at start is refused the same way, with the same reason, at run time.
 */
import { readFileSync } from 'node:fs';
import { scenarioProblem, scenarioSchema, type Scenario } from '../../shared/scenarios';
import { sharedRoadNetwork } from './road-network';
import {
  createPlaceResolver,
  loadDistrictNames,
  type PlaceResolver,
  type ResolvedPlace,
} from './scenario-places';

export interface LoadedScenario {
  scenario: Scenario;
  /** Each event's point, by index; null for stalls and outages. */
  places: (ResolvedPlace | null)[];
}

let sharedResolver: PlaceResolver | undefined;

/** The resolver over the simulator's own road network (built once per process). */
export function scenarioPlaceResolver(): PlaceResolver {
  sharedResolver ??= createPlaceResolver(sharedRoadNetwork(), loadDistrictNames());
  return sharedResolver;
}

/** Checks a parsed value; returns the scenario with its places, or one line saying what is wrong. */
export function checkScenario(
  value: unknown,
  resolve: PlaceResolver = scenarioPlaceResolver(),
): LoadedScenario | string {
  const parsed = scenarioSchema.safeParse(value);
  if (!parsed.success) return scenarioProblem(parsed.error);
  const places: (ResolvedPlace | null)[] = [];
  for (const [index, event] of parsed.data.events.entries()) {
    if (!('place' in event)) {
      places.push(null);
      continue;
    }
    const place = resolve(event.place);
    if (typeof place === 'string') return `events.${index}.place: ${place}`;
    places.push(place);
  }
  return { scenario: parsed.data, places };
}

/** Reads and checks a scenario file; one line saying what is wrong when it cannot be used. */
export function readScenarioFile(path: string): LoadedScenario | string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? `file not found: ${path}` : `cannot read ${path} (${code ?? error})`;
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    return `${path} is not JSON (${(error as Error).message})`;
  }
  const checked = checkScenario(value);
  return typeof checked === 'string' ? `${path}: ${checked}` : checked;
}
