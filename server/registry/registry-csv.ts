/**
 * A registry file (CSV) into numbered rows for the one row check (registry-rows.ts). Parsed with
 * csv-parse: quoted fields, embedded commas and line breaks, a UTF-8 byte-order mark (as Excel
 * writes it). The header names the columns (the registry table's, shared/registry.ts); a row
 * with the wrong number of fields is refused with its line, not guessed at.
 */
import { parse } from 'csv-parse/sync';
import {
  MAX_REGISTRY_CSV_ROWS,
  REGISTRY_COLUMNS,
  REGISTRY_REQUIRED_COLUMNS,
  type RegistryKind,
  type RegistryRowProblem,
} from '../../shared/registry';
import type { NumberedRow } from './registry-rows';

export type CsvRead =
  | {
      ok: true;
      rows: NumberedRow[];
      /** Rows refused before the field checks (wrong number of fields). */
      problems: RegistryRowProblem[];
      refusedRows: number;
      ignoredColumns: string[];
    }
  /** The file as a whole cannot be read: no header, a missing required column, too many rows. */
  | { ok: false; reason: string };

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

export function readRegistryCsv(text: string, kind: RegistryKind): CsvRead {
  let records: ParsedRecord[];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as ParsedRecord[];
  } catch (error) {
    return { ok: false, reason: `the file is not valid CSV: ${(error as Error).message}` };
  }
  const [header, ...data] = records;
  if (!header) return { ok: false, reason: 'the file is empty (a header row is needed)' };
  const columns = header.record.map((c) => c.trim().toLowerCase());
  const missing = REGISTRY_REQUIRED_COLUMNS[kind].filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    return {
      ok: false,
      reason: `the header lacks ${missing.join(', ')} (the ${kind} columns are ${REGISTRY_COLUMNS[kind].join(', ')})`,
    };
  }
  if (data.length > MAX_REGISTRY_CSV_ROWS) {
    return {
      ok: false,
      reason: `the file has ${data.length} rows; at most ${MAX_REGISTRY_CSV_ROWS} per import`,
    };
  }
  const known = new Set<string>(REGISTRY_COLUMNS[kind]);
  const ignoredColumns = columns.filter((c) => !known.has(c));
  const rows: NumberedRow[] = [];
  const problems: RegistryRowProblem[] = [];
  let refusedRows = 0;
  for (const { record, info } of data) {
    if (record.length !== columns.length) {
      refusedRows += 1;
      problems.push({
        line: info.lines,
        column: null,
        reason: `the row has ${record.length} fields; the header has ${columns.length}`,
      });
      continue;
    }
    const values: Record<string, string> = {};
    columns.forEach((column, i) => {
      if (known.has(column)) values[column] = record[i] ?? '';
    });
    rows.push({ line: info.lines, values });
  }
  return { ok: true, rows, problems, refusedRows, ignoredColumns };
}
