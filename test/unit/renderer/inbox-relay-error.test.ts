/** Errors about the link clear themselves on the next reconnect; refusals about a record stay. */
import { describe, expect, it } from 'vitest';
import type { RelayError } from '../../../renderer/src/auth/relay-api';
import { isLinkError } from '../../../renderer/src/lib/relay-error-text';
import {
  afterConnectionChange,
  shownError,
  type ShownRelayError,
} from '../../../renderer/src/lib/use-relay-error';

const NETWORK: RelayError = { status: 0, code: 'network_error', message: 'not connected' };
const STALE: RelayError = { status: 409, code: 'stale_version', message: 'reload' };

describe('self-clearing relay errors', () => {
  it('tells link errors from refusals', () => {
    expect(isLinkError(NETWORK)).toBe(true);
    expect(isLinkError({ ...NETWORK, code: 'timeout' })).toBe(true);
    expect(isLinkError(STALE)).toBe(false);
  });

  it('clears a "not connected" error once the link is back, not before', () => {
    let shown: ShownRelayError | null = afterConnectionChange(
      shownError('연결 없음', NETWORK, false),
      false,
    );
    expect(shown?.text).toBe('연결 없음');
    shown = afterConnectionChange(shown, true);
    expect(shown).toBeNull();
  });

  it('waits for a drop and a return when the link still looked up at the failure', () => {
    let shown: ShownRelayError | null = shownError(
      '응답 없음',
      { ...NETWORK, code: 'timeout' },
      true,
    );
    shown = afterConnectionChange(shown, true);
    expect(shown).not.toBeNull();
    shown = afterConnectionChange(shown, false);
    expect(shown).not.toBeNull();
    expect(afterConnectionChange(shown, true)).toBeNull();
  });

  it('clears any text shown while the link was down (callers that pass only text)', () => {
    expect(afterConnectionChange(shownError('실패', null, false), true)).toBeNull();
  });

  it('keeps a refusal about the record across reconnects', () => {
    let shown: ShownRelayError | null = shownError('버전 충돌', STALE, true);
    shown = afterConnectionChange(afterConnectionChange(shown, false), true);
    expect(shown?.text).toBe('버전 충돌');
  });
});
