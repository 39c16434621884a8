/**
 * What happened to a record, in order: an alert's steps (detected, acknowledged, dispatched,
 * resolved), a violation's evidence events and its TCS hand-off. One look for all of them.
 */
export interface TimelinePart {
  text: string;
  /** `timeline__bac`, `timeline__result`, … */
  className?: string;
  testId?: string;
}

export interface TimelineEntry {
  key: string | number;
  /** When it happened, as the panel writes times; omitted for a step that has not happened. */
  time?: { text: string; atMs: number };
  what: string;
  /** Words after `what`: a reading, a result, who and when. */
  parts?: readonly TimelinePart[];
  /** The entry's colour (its class `timeline__item--{tone}`): `done`, `pending`, `overLimit`, … */
  tone?: string;
  /** A person's note under the entry. */
  note?: string | null;
  /** An identifier shown small (an event id). */
  code?: string | null;
  testId?: string;
  /** `data-*` attributes for tests and tools (without the `data-` prefix). */
  data?: Readonly<Record<string, string>>;
}

export function Timeline({
  testId,
  entries,
  note,
}: {
  testId: string;
  entries: readonly TimelineEntry[];
  /** Said after the entries (that some are missing, say). */
  note?: string;
}) {
  return (
    <ol className="timeline" data-testid={testId}>
      {entries.map((entry) => (
        <li
          key={entry.key}
          className={`timeline__item${entry.tone ? ` timeline__item--${entry.tone}` : ''}`}
          data-testid={entry.testId}
          {...Object.fromEntries(
            Object.entries(entry.data ?? {}).map(([name, value]) => [`data-${name}`, value]),
          )}
        >
          {entry.time && (
            <time className="timeline__time" dateTime={new Date(entry.time.atMs).toISOString()}>
              {entry.time.text}
            </time>
          )}
          <div className="timeline__body">
            <span className="timeline__what">{entry.what}</span>
            {entry.parts?.map((part, i) => (
              <span
                key={i}
                className={part.className ?? 'timeline__value'}
                data-testid={part.testId}
              >
                {part.text}
              </span>
            ))}
          </div>
          {entry.note && <p className="timeline__note">{entry.note}</p>}
          {entry.code && <code className="timeline__id">{entry.code}</code>}
        </li>
      ))}
      {note !== undefined && <li className="timeline__note">{note}</li>}
    </ol>
  );
}
