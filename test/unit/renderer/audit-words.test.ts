/** The audit log in words (issue 19): actions, targets and changed fields as a person says them. */
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../shared/audit';
import {
  describeAuditEvent,
  MAX_SUMMARY_CHARS,
  type Translate,
} from '../../../renderer/src/features/audit/audit-words';
import { kstInputToMs } from '../../../renderer/src/features/audit/kst-input';
import { en } from '../../../renderer/src/i18n/en';
import { ko } from '../../../renderer/src/i18n/ko';

/** The app's own resources, looked up the way i18next does (dotted keys, {{vars}}). */
function translator(resources: object): Translate {
  return (key, fallback, vars = {}) => {
    let node: unknown = resources;
    for (const part of key.split('.')) {
      node =
        node !== null && typeof node === 'object'
          ? (node as Record<string, unknown>)[part]
          : undefined;
    }
    if (typeof node !== 'string') return fallback;
    return node.replace(/\{\{(\w+)\}\}/gu, (_, name: string) => String(vars[name] ?? ''));
  };
}

const tKo = translator(ko);
const tEn = translator(en);
const AT = Date.UTC(2025, 11, 9, 5, 30, 0); // 14:30 in Seoul

function event(partial: Partial<AuditEvent>): AuditEvent {
  return {
    id: 1,
    atMs: AT,
    actor: 'kim',
    actorRole: 'supervisor',
    action: 'alert.ack',
    entityType: 'alert',
    entityId: '42',
    before: null,
    after: null,
    ...partial,
  };
}

describe('describeAuditEvent', () => {
  it('says an acknowledgement in words, times in KST, bookkeeping left out', () => {
    const ack = event({
      before: { status: 'new', version: 1, acknowledgedBy: null, acknowledgedAtMs: null },
      after: { status: 'acknowledged', version: 2, acknowledgedBy: 'kim', acknowledgedAtMs: AT },
    });
    expect(describeAuditEvent(tKo, ack)).toMatchObject({
      action: '경보 확인',
      target: '경보 #42',
      summary: '상태: 신규 → 확인됨 · 확인자: 없음 → kim · 확인 시각: 없음 → 2025-12-09 14:30:00',
    });
    expect(describeAuditEvent(tEn, ack).action).toBe('Alert acknowledged');
    expect(describeAuditEvent(tEn, ack).summary).toContain(
      'Acknowledged at: none → 2025-12-09 14:30:00',
    );
  });

  it('says roles, disabled flags, login reasons and export filters as words', () => {
    const update = event({
      action: 'user.update',
      entityType: 'user',
      entityId: 'op-jung',
      before: { role: 'operator', disabled: false },
      after: { role: 'supervisor', disabled: true },
    });
    expect(describeAuditEvent(tKo, update)).toMatchObject({
      action: '사용자 변경',
      target: '사용자 op-jung',
      summary: '역할: 관제요원 → 관제 책임자 · 사용 중지: 아니요 → 예',
    });
    const failed = event({
      action: 'auth.login_failed',
      entityType: 'user',
      entityId: 'x',
      after: { ip: '10.0.0.9', reason: 'wrong credentials' },
    });
    expect(describeAuditEvent(tEn, failed).summary).toBe(
      'Address: 10.0.0.9 · Reason: wrong username or password',
    );
    const exported = event({
      action: 'export.csv',
      entityType: 'export',
      entityId: 'alerts',
      after: { filters: { limit: '5000', status: 'new,acknowledged' }, rows: 1234 },
    });
    const words = describeAuditEvent(tKo, exported);
    expect(words.target).toBe('경보 목록');
    expect(words.summary).toBe('조건: 최대 건수 5,000, 상태 신규, 확인됨 · 행 수: 1,234');
    expect(words.summary).not.toContain('{');
  });

  it('shows a created alert by what identifies it, and an unknown action by its code', () => {
    const created = event({
      action: 'alert.create',
      actor: 'system',
      actorRole: 'system',
      after: {
        type: 'DROWSY',
        severity: 'high',
        plate: '12가3456',
        dongCode: '2611051000',
        districtName: '중구',
        version: 1,
        lastSeenMs: AT,
      },
    });
    expect(describeAuditEvent(tKo, created).summary).toBe(
      '유형: 졸음운전 · 심각도: 높음 · 차량 번호: 12가3456 · 구·군: 중구',
    );
    const future = event({ action: 'alert.teleport' as AuditEvent['action'], after: { x: 1 } });
    expect(describeAuditEvent(tEn, future).action).toBe('alert.teleport');
    const long = describeAuditEvent(
      tEn,
      event({
        before: {},
        after: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, 'x'.repeat(30)])),
      }),
    );
    expect(long.summary.length).toBe(MAX_SUMMARY_CHARS);
  });
});

describe('two-factor sign-in and registry refreshes in the audit log (issue 19)', () => {
  const user = { entityType: 'user' as const, entityId: 'op.lee', actor: 'op.lee' };

  it('says enrolment, refused codes, the lockout, recovery codes and resets in Korean', () => {
    const say = (partial: Partial<AuditEvent>) => describeAuditEvent(tKo, event(partial));
    expect(
      say({ ...user, action: 'user.totp_enrolled', after: { recoveryCodes: 10 } }),
    ).toMatchObject({
      action: '2단계 인증 등록',
      target: '사용자 op.lee',
      summary: '복구 코드 수: 10',
    });
    expect(
      say({
        ...user,
        action: 'auth.totp_failed',
        after: { ip: '10.0.0.5', reason: 'code wrong', failures: 3 },
      }).summary,
    ).toBe('접속 주소: 10.0.0.5 · 사유: 인증 코드 불일치 · 연속 실패: 3');
    expect(
      say({ ...user, action: 'auth.totp_locked', after: { ip: '10.0.0.5', lockedUntilMs: AT } }),
    ).toMatchObject({
      action: '2단계 인증 잠김 (연속 실패)',
      summary: '접속 주소: 10.0.0.5 · 잠금 해제 시각: 2025-12-09 14:30:00',
    });
    expect(
      say({ ...user, action: 'auth.recovery_code_used', after: { ip: '10.0.0.5', left: 9 } }),
    ).toMatchObject({
      action: '복구 코드로 로그인',
      summary: '접속 주소: 10.0.0.5 · 남은 복구 코드: 9',
    });
    expect(
      say({ ...user, action: 'auth.login', after: { ip: '10.0.0.5', secondFactor: 'totp' } })
        .summary,
    ).toBe('접속 주소: 10.0.0.5 · 2단계 인증: 인증 앱 코드');
    expect(say({ ...user, actor: 'admin', action: 'user.totp_reset' }).action).toBe(
      '2단계 인증 초기화 (관리자)',
    );
    expect(say({ ...user, action: 'user.totp_disabled' }).action).toBe('2단계 인증 해제 (본인)');
  });

  it('writes a blood alcohol reading as the panels and the CSV do (shared/bac.ts)', () => {
    const found = event({
      actor: 'system',
      action: 'violation.create',
      entityType: 'violation',
      after: { rule: 'alcohol_retest', bac: 0.05 },
    });
    expect(describeAuditEvent(tKo, found).summary).toContain('혈중알코올농도: 0.050% (0.50‰)');
  });

  it('names places and revealed fields in the reader language', () => {
    const created = event({
      actor: 'system',
      action: 'alert.create',
      after: { type: 'DROWSY', plate: '55모8482', dongName: '우2동', districtName: '해운대구' },
    });
    const english = Object.assign(tEn, { language: 'en' as const });
    expect(describeAuditEvent(english, created).summary).toBe(
      'Type: Drowsy driving · Plate: 55모8482 · Neighbourhood: U 2(i)-dong · District: Haeundae-gu',
    );
    expect(describeAuditEvent(tKo, created).summary).toBe(
      '유형: 졸음운전 · 차량 번호: 55모8482 · 동: 우2동 · 구·군: 해운대구',
    );
    const unmask = event({
      action: 'pii.unmask',
      entityType: 'vehicle',
      entityId: 'car_1',
      after: { fields: ['ageBand', 'sex'] },
    });
    expect(describeAuditEvent(english, unmask).summary).toBe('Fields revealed: Age band, Sex');
  });

  it('says a registry refresh in words, not its field names', () => {
    const refresh = event({
      actor: 'system',
      action: 'registry.refresh',
      entityType: 'registry',
      entityId: null,
      after: { trigger: 'start', operators: 6, subjects: 0, devices: 0, skipped: 0 },
    });
    expect(describeAuditEvent(tKo, refresh).summary).toBe(
      '계기: 중계 서버 시작 · 설치업체: 6 · 대상자: 0 · 장치: 0 · 건너뛴 행: 0',
    );
    expect(describeAuditEvent(tEn, refresh).summary).toBe(
      'Trigger: relay start · Installers: 6 · Subjects: 0 · Devices: 0 · Rows skipped: 0',
    );
  });

  it('says the same in English, with no codes left', () => {
    const failed = describeAuditEvent(
      tEn,
      event({
        ...user,
        action: 'auth.totp_failed',
        after: { reason: 'code replayed', failures: 1 },
      }),
    );
    expect(failed).toMatchObject({
      action: 'Two-step code refused',
      summary: 'Reason: code already used · Failures in a row: 1',
    });
    const login = describeAuditEvent(
      tEn,
      event({ ...user, action: 'auth.login', after: { secondFactor: 'recovery_code' } }),
    );
    expect(login.summary).toBe('Second step: recovery code');
    for (const action of [
      'user.totp_enrolled',
      'user.totp_disabled',
      'user.totp_reset',
      'auth.totp_failed',
      'auth.totp_locked',
      'auth.recovery_code_used',
    ] as const) {
      expect(describeAuditEvent(tEn, event({ ...user, action })).action).not.toContain('.');
      expect(describeAuditEvent(tKo, event({ ...user, action })).action).not.toContain('.');
    }
  });
});

describe('kstInputToMs', () => {
  it('reads a datetime-local value as Seoul time, whatever the machine zone', () => {
    expect(kstInputToMs('2025-12-09T14:30')).toBe(AT);
    expect(kstInputToMs('')).toBeNull();
    expect(kstInputToMs('yesterday')).toBeNull();
  });
});
