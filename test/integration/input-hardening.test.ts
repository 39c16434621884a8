/**
 * Small defects a careful tester found (issue 14 §4 and §6), each with the request that showed it:
 * a latin1 MariaDB, hex numbers in queries, a misleading handshake refusal, 413's error code.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createConnection } from 'mysql2/promise';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOCKET_AUTH_ERRORS } from '../../shared/auth';
import { SOCKET_PATH } from '../../shared/events';
import { buildApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { TEST_ADMIN_PASSWORD, loginToken } from '../support/auth';
import { createTestDatabase } from '../support/mariadb';

const TWO_MEGABYTES = 2 * 1024 * 1024;

describe('a MariaDB whose default character set is latin1', () => {
  it('starts, with every table in utf8mb4 and the seed ENUM intact', async () => {
    const database = await createTestDatabase('cr_latin1', 'latin1');
    let app: FastifyInstance | undefined;
    try {
      app = await buildApp(
        loadConfig({
          PORT: '0',
          DATABASE_URL: database.url,
          ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
          SIM_VEHICLES: '0',
          LOG_LEVEL: 'silent',
        }),
      );
      await app.ready();
      const connection = await createConnection({ uri: database.url, charset: 'utf8mb4' });
      try {
        const [tables] = await connection.query<
          ({ TABLE_NAME: string; TABLE_COLLATION: string } & import('mysql2').RowDataPacket)[]
        >(
          `SELECT TABLE_NAME, TABLE_COLLATION FROM information_schema.TABLES
            WHERE TABLE_SCHEMA = ? AND TABLE_NAME NOT LIKE 'kysely%'`,
          [database.name],
        );
        expect(tables.length).toBeGreaterThan(20);
        for (const table of tables) {
          expect(table.TABLE_COLLATION, table.TABLE_NAME).toMatch(/^utf8mb4/);
        }
        const [created] = await connection.query<import('mysql2').RowDataPacket[]>(
          'SHOW CREATE TABLE uservehicle',
        );
        expect(String(created[0]!['Create Table'])).toContain("enum('남','여')");
      } finally {
        await connection.end();
      }
    } finally {
      await app?.close();
      await database.drop();
    }
  });
});

describe('requests a careful tester sends', () => {
  let app: FastifyInstance;
  let url: string;
  let dir: string;
  let admin: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'input-hardening-'));
    app = await buildApp(
      loadConfig({
        PORT: '0',
        SQLITE_PATH: join(dir, 'db.sqlite'),
        SIM_VEHICLES: '5',
        ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
        LOG_LEVEL: 'silent',
      }),
    );
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    admin = await loginToken(app);
  });

  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(['0x10', '1e1', '16.0', ' 16', '', '-5'])(
    'refuses ?minutes=%s instead of reading another number',
    async (minutes) => {
      const response = await app.inject({
        method: 'GET',
        url: `/api/vehicles/car-1/track?minutes=${encodeURIComponent(minutes)}`,
        headers: { authorization: `Bearer ${admin}` },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.message).toMatch(/^minutes/);
    },
  );

  it('takes ?minutes=16 as sixteen minutes', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/vehicles/car-1/track?minutes=16',
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().minutes).toBe(16);
  });

  it('refuses hex ids and limits the same way', async () => {
    for (const path of [
      '/api/alerts?limit=0x10',
      '/api/audit?limit=0x10',
      '/api/violations?limit=1e2',
    ]) {
      const response = await app.inject({
        method: 'GET',
        url: path,
        headers: { authorization: `Bearer ${admin}` },
      });
      expect(response.statusCode, path).toBe(400);
      expect(response.json().error.message, path).toMatch(/^limit/);
    }
  });

  it('answers an oversized body with 413 and code payload_too_large', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ username: 'admin', password: 'x'.repeat(TWO_MEGABYTES) }),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('payload_too_large');
  });

  it('tells a socket with a malformed lastAlertSeq what is wrong, not that it has no token', async () => {
    const socket = io(url, {
      path: SOCKET_PATH,
      transports: ['websocket'],
      reconnection: false,
      auth: { token: admin, lastAlertSeq: 'abc' },
    });
    const message = await new Promise<string>((resolve) =>
      socket.once('connect_error', (error) => resolve(error.message)),
    );
    socket.close();
    expect(message).toBe(SOCKET_AUTH_ERRORS.badLastAlertSeq);
    expect(message).not.toMatch(/no token/);
  });
});
