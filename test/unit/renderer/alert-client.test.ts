/** Small pure pieces of the alert client: session storage, notifications, audit summaries, money. */
import { describe, expect, it } from 'vitest';
import { parseSession } from '../../../renderer/src/auth/session';
import {
  auditDiffSummary,
  MAX_SUMMARY_CHARS,
} from '../../../renderer/src/features/audit/audit-diff';
import { alertsToNotify } from '../../../renderer/src/features/alerts/notifications';
import { filenameFromDisposition } from '../../../renderer/src/features/exports/download-csv';
import { formatKstDateTime, formatKstMoment } from '../../../renderer/src/lib/format-time';
import { formatKrw, formatPercent } from '../../../renderer/src/lib/format-money';
import { makeAlert } from './alert-fixtures';

describe('parseSession', () => {
  it('reads what the client stores', () => {
    const text = JSON.stringify({ token: 'abc', user: { username: 'kim', role: 'supervisor' } });
    expect(parseSession(text)).toEqual({
      token: 'abc',
      user: { username: 'kim', role: 'supervisor' },
    });
  });

  it('refuses anything else (corrupt, missing fields, unknown role)', () => {
    expect(parseSession(null)).toBeNull();
    expect(parseSession('not json')).toBeNull();
    expect(
      parseSession(JSON.stringify({ token: '', user: { username: 'kim', role: 'admin' } })),
    ).toBeNull();
    expect(
      parseSession(JSON.stringify({ token: 'x', user: { username: 'kim', role: 'root' } })),
    ).toBeNull();
    expect(parseSession(JSON.stringify({ token: 'x' }))).toBeNull();
  });
});

describe('alertsToNotify', () => {
  const SUPERVISOR = { username: 'sv.lee', role: 'supervisor' } as const;
  const critical = makeAlert({ id: 1, severity: 'critical' });
  it('notifies a new critical alert once', () => {
    expect(alertsToNotify({}, { 1: critical }, new Set(), SUPERVISOR).map((a) => a.id)).toEqual([
      1,
    ]);
    expect(alertsToNotify({}, { 1: critical }, new Set([1]), SUPERVISOR)).toEqual([]);
  });

  it('does not notify unchanged, acknowledged or less than critical alerts', () => {
    expect(alertsToNotify({ 1: critical }, { 1: critical }, new Set(), SUPERVISOR)).toEqual([]);
    const acked = { ...critical, status: 'acknowledged' as const, version: 2 };
    expect(alertsToNotify({ 1: critical }, { 1: acked }, new Set(), SUPERVISOR)).toEqual([]);
    expect(
      alertsToNotify({}, { 2: makeAlert({ id: 2, severity: 'high' }) }, new Set(), SUPERVISOR),
    ).toEqual([]);
  });

  it('notifies an alert that became critical through a worse repeat', () => {
    const high = makeAlert({ id: 3, severity: 'high' });
    const worse = { ...high, severity: 'critical' as const, version: 2, count: 2 };
    expect(
      alertsToNotify({ 3: high }, { 3: worse }, new Set(), SUPERVISOR).map((a) => a.id),
    ).toEqual([3]);
  });
});

describe('auditDiffSummary', () => {
  it('lists the fields that changed, skipping bookkeeping, times in KST', () => {
    const at = Date.UTC(2025, 11, 9, 5, 30, 0);
    expect(
      auditDiffSummary(
        { status: 'new', version: 1, acknowledgedBy: null, updatedMs: 1, plate: '12가3456' },
        {
          status: 'acknowledged',
          version: 2,
          acknowledgedBy: 'kim',
          updatedMs: 2,
          plate: '12가3456',
          acknowledgedAtMs: at,
        },
      ),
    ).toBe(
      'status: new → acknowledged, acknowledgedBy: — → kim, acknowledgedAtMs: 2025-12-09 14:30:00',
    );
  });

  it('shows what was recorded when there is no before, and stays short', () => {
    expect(auditDiffSummary(null, { ip: '127.0.0.1' })).toBe('ip: 127.0.0.1');
    expect(auditDiffSummary(null, null)).toBe('');
    const long = auditDiffSummary(
      null,
      Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'x'.repeat(20)])),
    );
    expect(long.length).toBe(MAX_SUMMARY_CHARS);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('formats', () => {
  it('writes won amounts as operators do', () => {
    expect(formatKrw(1_250_000)).toBe('₩1,250,000');
    expect(formatKrw(999)).toBe('₩999');
    expect(formatKrw(0)).toBe('₩0');
    expect(formatPercent(0.934)).toBe('93%');
  });

  it('writes KST dates, and only the time for today', () => {
    const at = Date.UTC(2025, 11, 9, 15, 5, 9); // 00:05:09 on the 10th in Seoul
    expect(formatKstDateTime(at)).toBe('2025-12-10 00:05:09');
    expect(formatKstMoment(at, at + 3_600_000)).toBe('00:05:09');
    expect(formatKstMoment(at, at - 3_600_000)).toBe('2025-12-10 00:05:09');
  });

  it('reads the file name the relay suggests', () => {
    expect(filenameFromDisposition('attachment; filename="alerts-1.csv"')).toBe('alerts-1.csv');
    expect(filenameFromDisposition(null)).toBeNull();
  });
});

describe('relayErrorText', () => {
  it('says plainly that someone else was first, and keeps the relay reason where it helps', async () => {
    const { i18n } = await import('../../../renderer/src/i18n');
    const { relayErrorText } = await import('../../../renderer/src/lib/relay-error-text');
    const t = i18n.getFixedT('ko');
    expect(
      relayErrorText(t, { status: 409, code: 'stale_version', message: 'alert 3 is at version 4' }),
    ).toBe('다른 사용자가 먼저 변경했습니다. 최신 내용을 확인한 뒤 다시 시도하세요.');
    expect(
      relayErrorText(t, {
        status: 403,
        code: 'forbidden',
        message: 'role operator may not alert.resolve (allowed: supervisor, admin)',
      }),
    ).toBe('권한이 없습니다. (role operator may not alert.resolve (allowed: supervisor, admin))');
    expect(relayErrorText(i18n.getFixedT('en'), { status: 0, code: 'timeout', message: 'x' })).toBe(
      'The relay did not answer. Try again.',
    );
  });

  it('names a database outage and an oversized request in the operator language', async () => {
    const { i18n } = await import('../../../renderer/src/i18n');
    const { relayErrorText } = await import('../../../renderer/src/lib/relay-error-text');
    const t = i18n.getFixedT('ko');
    expect(
      relayErrorText(t, {
        status: 503,
        code: 'store_unavailable',
        message: 'the database cannot be reached (ECONNREFUSED)',
      }),
    ).toMatch(/^데이터베이스에 연결할 수 없어 저장하지 못했습니다.*ECONNREFUSED/);
    expect(relayErrorText(t, { status: 413, code: 'payload_too_large', message: '' })).toBe(
      '내용이 너무 큽니다. 줄여서 다시 시도하세요.',
    );
  });
});

describe('placeText', () => {
  it('names the district and the neighbourhood in the reader language (issue 19)', async () => {
    const { placeText } = await import('../../../renderer/src/features/alerts/districts');
    const alert = makeAlert({
      id: 1,
      districtCode: '21130',
      districtName: '연제구',
      dongCode: '2113059',
      dongName: '연산5동',
    });
    expect(placeText(alert, 'ko')).toBe('연제구 연산5동');
    // The romanised name the map labels carry, from the same boundary data.
    expect(placeText(alert, 'en')).toBe('Yeonje-gu Yeonsan 5(o)-dong');
    // A code the boundary data lacks: found by the Korean name instead.
    expect(placeText({ ...alert, dongCode: '2113099' }, 'en')).toBe('Yeonje-gu Yeonsan 5(o)-dong');
    // A neighbourhood the data does not know is shown as the relay wrote it.
    expect(placeText({ ...alert, dongCode: null, dongName: '새동' }, 'en')).toBe('Yeonje-gu 새동');
    expect(
      placeText({ districtCode: null, districtName: null, dongCode: null, dongName: null }, 'en'),
    ).toBe('');
  });
});
