import type { Bilingual } from './kiosk-text';

/** Korean first and larger, English beneath (or beside, `inline`) it. */
export function Bi({ text, inline = false }: { text: Bilingual; inline?: boolean }) {
  return (
    <span className={inline ? 'bi bi--inline' : 'bi'}>
      <span className="bi__ko" lang="ko">
        {text.ko}
      </span>
      <span className="bi__en" lang="en">
        {text.en}
      </span>
    </span>
  );
}
