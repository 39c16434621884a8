/**
 * Two-factor sign-in end to end on a real MariaDB, the relay in process: a supervisor whose role
 * requires it enrols at sign-in (QR and secret once, first code, recovery codes), signs in with a
 * code, a wrong or replayed code is 401, a recovery code works once, wrong codes lock code entry,
 * an admin resets it (audited); operators without it and walls are not asked.
 */
import type { FastifyInstance } from 'fastify';
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { totpCode } from '../../server/auth/totp';
import { loadConfig } from '../../server/config';
import type { AuditListResponse } from '../../shared/audit';
import type { LoginResponse, UserListResponse } from '../../shared/auth';
import type {
  LoginChallenge,
  TotpConfirmResponse,
  TotpEnrolment,
  TotpStatus,
} from '../../shared/two-factor';
import { createTestDatabase, type TestDatabase } from '../support/mariadb';

const ADMIN_PASSWORD = 'chief-passphrase-for-2fa-tests';
const PASSWORD = 'staff-password-for-2fa-tests';
const PERIOD_MS = 30_000;
const MAX_FAILURES = 5;

let database: TestDatabase;
let app: FastifyInstance;
let adminToken: string;
let secret: string;
let recoveryCodes: string[];

/** Each request from its own address, so the per-address login limit never interferes. */
let address = 0;
function post(path: string, payload: object, token?: string) {
  return app.inject({
    method: 'POST',
    url: path,
    payload,
    remoteAddress: `10.20.${Math.floor(++address / 250)}.${address % 250}`,
    ...(token !== undefined && { headers: { authorization: `Bearer ${token}` } }),
  });
}

function get(path: string, token: string) {
  return app.inject({ method: 'GET', url: path, headers: { authorization: `Bearer ${token}` } });
}

async function passwordStep(username: string, password = PASSWORD) {
  const response = await post('/api/auth/login', { username, password });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<LoginResponse | LoginChallenge>();
}

async function auditOf(action: string): Promise<AuditListResponse['events']> {
  const response = await get(`/api/audit?action=${action}&limit=50`, adminToken);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<AuditListResponse>().events;
}

beforeAll(async () => {
  database = await createTestDatabase('cr_2fa');
  app = await buildApp(
    loadConfig({
      PORT: '0',
      DATABASE_URL: database.url,
      ADMIN_PASSWORD,
      JWT_SECRET: '2fa-integration-secret-0123456789abcdef',
      SIM_VEHICLES: '0',
      LOG_LEVEL: 'silent',
      TOTP_REQUIRED_ROLES: 'supervisor',
      TOTP_SECRET_KEY: 'totp-key-for-integration-tests-0123456789',
    }),
  );
  await app.ready();
  const admin = await passwordStep('admin', ADMIN_PASSWORD);
  adminToken = (admin as LoginResponse).token;
  expect(adminToken).toBeTruthy();
  for (const [username, role] of [
    ['sup1', 'supervisor'],
    ['op1', 'operator'],
    ['wall1', 'viewer'],
  ] as const) {
    const created = await post('/api/users', { username, password: PASSWORD, role }, adminToken);
    expect(created.statusCode, created.body).toBe(201);
  }
}, 60_000);

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

describe('two-factor sign-in', () => {
  it('asks a supervisor to enrol at sign-in: no session until the first code', async () => {
    const step = await passwordStep('sup1');
    expect(step).toMatchObject({
      secondFactor: 'enrol',
      user: { username: 'sup1', role: 'supervisor' },
    });
    expect('token' in step).toBe(false);
    const { ticket } = step as LoginChallenge;
    // A ticket is not a session token.
    expect((await get('/api/auth/me', ticket)).statusCode).toBe(401);

    const enrol = await post('/api/auth/totp/enrol', { ticket });
    expect(enrol.statusCode, enrol.body).toBe(200);
    const enrolment = enrol.json<TotpEnrolment>();
    secret = enrolment.secret;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(enrolment.otpauthUri).toContain(`secret=${secret}`);
    expect(enrolment.qrDataUrl).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(enrolment.qrDataUrl.split(',')[1]!, 'base64').toString()).toContain('<svg');

    // Stored sealed (TOTP_SECRET_KEY), never as it is.
    const connection = await createConnection(database.url);
    try {
      const [rows] = await connection.query('SELECT secret, enabled_at FROM user_totp');
      const row = (rows as { secret: string; enabled_at: unknown }[])[0]!;
      expect(row.secret.startsWith('v1:')).toBe(true);
      expect(row.secret).not.toContain(secret);
      expect(row.enabled_at).toBeNull();
    } finally {
      await connection.end();
    }

    const wrong = await post('/api/auth/totp/confirm', { ticket, code: '000000' });
    expect(wrong.statusCode).toBe(401);
    const confirmed = await post('/api/auth/totp/confirm', {
      ticket,
      code: totpCode(secret, Date.now()),
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const body = confirmed.json<TotpConfirmResponse>();
    recoveryCodes = body.recoveryCodes;
    expect(recoveryCodes).toHaveLength(10);
    expect(body.session?.user).toEqual({ username: 'sup1', role: 'supervisor' });
    const me = await get('/api/auth/me', body.session!.token);
    expect(me.statusCode).toBe(200);
    const status = await get('/api/auth/totp', body.session!.token);
    expect(status.json<TotpStatus>()).toMatchObject({
      enabled: true,
      required: true,
      recoveryCodesLeft: 10,
    });
    // The secret is never sent again: a second enrolment is refused.
    expect((await post('/api/auth/totp/enrol', {}, body.session!.token)).statusCode).toBe(409);
    // Only hashes of the recovery codes are kept.
    const connection2 = await createConnection(database.url);
    try {
      const [rows] = await connection2.query('SELECT code_hash FROM user_recovery_code');
      const hashes = (rows as { code_hash: string }[]).map((r) => r.code_hash);
      expect(hashes).toHaveLength(10);
      for (const code of recoveryCodes) expect(hashes.join(' ')).not.toContain(code);
    } finally {
      await connection2.end();
    }
    expect((await auditOf('user.totp_enrolled')).map((e) => e.entityId)).toEqual(['sup1']);
  });

  it('signs in with a code; a wrong or replayed code is 401', async () => {
    const step = (await passwordStep('sup1')) as LoginChallenge;
    expect(step.secondFactor).toBe('totp');
    const wrong = await post('/api/auth/login/totp', { ticket: step.ticket, code: '123456' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.message).toBe('wrong code');
    // The enrolment used this period's step: the next period's code (within the window) is new.
    const code = totpCode(secret, Date.now() + PERIOD_MS);
    const signedIn = await post('/api/auth/login/totp', { ticket: step.ticket, code });
    expect(signedIn.statusCode, signedIn.body).toBe(200);
    const session = signedIn.json<LoginResponse>();
    expect(session.user).toEqual({ username: 'sup1', role: 'supervisor' });
    expect((await get('/api/auth/me', session.token)).statusCode).toBe(200);
    const replayed = await post('/api/auth/login/totp', { ticket: step.ticket, code });
    expect(replayed.statusCode).toBe(401);
    const failed = await auditOf('auth.totp_failed');
    expect(failed.length).toBeGreaterThanOrEqual(2);
    const logins = await auditOf('auth.login');
    expect(
      logins.some(
        (e) =>
          e.actor === 'sup1' &&
          (e.after as { secondFactor?: string } | null)?.secondFactor === 'totp',
      ),
    ).toBe(true);
  });

  it('takes a recovery code once, in place of a code', async () => {
    const code = recoveryCodes[3]!;
    const first = (await passwordStep('sup1')) as LoginChallenge;
    const used = await post('/api/auth/login/totp', {
      ticket: first.ticket,
      code: code.toLowerCase().replace('-', ' '),
    });
    expect(used.statusCode, used.body).toBe(200);
    const again = (await passwordStep('sup1')) as LoginChallenge;
    const reused = await post('/api/auth/login/totp', { ticket: again.ticket, code });
    expect(reused.statusCode).toBe(401);
    const events = await auditOf('auth.recovery_code_used');
    expect(events).toHaveLength(1);
    expect(events[0]!.after).toMatchObject({ left: 9 });
  });

  it('locks code entry after repeated wrong codes (429), for this user on every address', async () => {
    const step = (await passwordStep('sup1')) as LoginChallenge;
    let last = 0;
    for (let i = 0; i < MAX_FAILURES; i++) {
      last = (await post('/api/auth/login/totp', { ticket: step.ticket, code: '999999' }))
        .statusCode;
    }
    expect(last).toBe(429);
    const right = await post('/api/auth/login/totp', {
      ticket: step.ticket,
      code: totpCode(secret, Date.now()),
    });
    expect(right.statusCode).toBe(429);
    expect(right.json().error.message).toMatch(/too many wrong codes: try again in \d+ seconds/);
    // The lockout is its own audit event, once, with when it ends (issue 19: audit in words).
    const locks = await auditOf('auth.totp_locked');
    expect(locks).toHaveLength(1);
    expect(locks[0]!.actor).toBe('sup1');
    expect((locks[0]!.after as { lockedUntilMs: number }).lockedUntilMs).toBeGreaterThan(
      Date.now(),
    );
  });

  it('does not ask operators without it or walls; walls cannot enrol', async () => {
    const operator = await passwordStep('op1');
    expect((operator as LoginResponse).token).toBeTruthy();
    const wall = (await passwordStep('wall1')) as LoginResponse;
    expect(wall.token).toBeTruthy();
    const refused = await post('/api/auth/totp/enrol', {}, wall.token);
    expect(refused.statusCode).toBe(403);
    const users = (await get('/api/users', adminToken)).json<UserListResponse>().users;
    const flags = Object.fromEntries(users.map((u) => [u.username, u.twoFactorEnabled]));
    expect(flags).toMatchObject({ sup1: true, op1: false, wall1: false, admin: false });
  });

  it('lets an admin reset it (audited): the supervisor enrols again; others may not reset', async () => {
    const operator = (await passwordStep('op1')) as LoginResponse;
    expect((await post('/api/users/sup1/totp/reset', {}, operator.token)).statusCode).toBe(403);
    const reset = await post('/api/users/sup1/totp/reset', {}, adminToken);
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.json<TotpStatus>()).toMatchObject({ enabled: false, required: true });
    expect((await post('/api/users/sup1/totp/reset', {}, adminToken)).statusCode).toBe(409);
    const events = await auditOf('user.totp_reset');
    expect(events.map((e) => [e.actor, e.entityId])).toEqual([['admin', 'sup1']]);
    expect(((await passwordStep('sup1')) as LoginChallenge).secondFactor).toBe('enrol');
  });

  it('lets an operator turn their own on and off with a code; a required role cannot', async () => {
    const operator = (await passwordStep('op1')) as LoginResponse;
    const enrolment = (
      await post('/api/auth/totp/enrol', {}, operator.token)
    ).json<TotpEnrolment>();
    const confirmed = await post(
      '/api/auth/totp/confirm',
      { code: totpCode(enrolment.secret, Date.now()) },
      operator.token,
    );
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json<TotpConfirmResponse>().session).toBeNull();
    expect(((await passwordStep('op1')) as LoginChallenge).secondFactor).toBe('totp');
    const off = await post(
      '/api/auth/totp/disable',
      { code: totpCode(enrolment.secret, Date.now() + PERIOD_MS) },
      operator.token,
    );
    expect(off.statusCode, off.body).toBe(200);
    expect((await passwordStep('op1')) as LoginResponse).toHaveProperty('token');
    expect((await auditOf('user.totp_disabled')).map((e) => e.actor)).toEqual(['op1']);

    // A supervisor (required) cannot turn it off.
    const sup = (await passwordStep('sup1')) as LoginChallenge;
    const enrol = (
      await post('/api/auth/totp/enrol', { ticket: sup.ticket })
    ).json<TotpEnrolment>();
    const session = (
      await post('/api/auth/totp/confirm', {
        ticket: sup.ticket,
        code: totpCode(enrol.secret, Date.now()),
      })
    ).json<TotpConfirmResponse>().session!;
    const refused = await post(
      '/api/auth/totp/disable',
      { code: totpCode(enrol.secret, Date.now() + PERIOD_MS) },
      session.token,
    );
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toMatch(/required for supervisors/);
  });
});
