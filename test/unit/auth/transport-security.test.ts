/**
 * Transport security settings: from the environment (one schema) to what kafkajs, mysql2 and the
 * TCS client are given, and the combinations that stop the start naming a variable.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config';
import {
  databaseSslOptions,
  kafkaSecurityOptions,
  tcsCa,
} from '../../../server/transport-security';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
let dir: string;
let ca: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cr-transport-'));
  ca = join(dir, 'ca.pem');
  writeFileSync(ca, PEM);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('TCS', () => {
  it('takes https:// as it is and trusts TCS_CA_FILE when given', () => {
    const config = loadConfig({
      TCS_URL: 'https://tcs.police.example/api',
      TCS_SECRET: 'a-secret-of-16-chars',
      TCS_CA_FILE: ca,
    });
    expect(config.TCS_ALLOW_INSECURE_HTTP).toBe(false);
    expect(tcsCa(config)).toBe(PEM);
    expect(tcsCa(loadConfig({}))).toBeUndefined();
  });

  it('refuses http:// unless the development flag says so, and a CA for plain HTTP', () => {
    const http = { TCS_URL: 'http://127.0.0.1:8788', TCS_SECRET: 'a-secret-of-16-chars' };
    expect(() => loadConfig(http)).toThrow(/^Invalid configuration: TCS_URL must be https:\/\//);
    expect(() => loadConfig({ ...http, TCS_ALLOW_INSECURE_HTTP: 'yes' })).toThrow(
      /^Invalid configuration: TCS_ALLOW_INSECURE_HTTP must be true or false/,
    );
    expect(loadConfig({ ...http, TCS_ALLOW_INSECURE_HTTP: 'true' }).TCS_URL).toBe(http.TCS_URL);
    expect(() => loadConfig({ ...http, TCS_ALLOW_INSECURE_HTTP: 'true', TCS_CA_FILE: ca })).toThrow(
      /^Invalid configuration: TCS_CA_FILE is set but TCS_URL is http:\/\//,
    );
  });
});

describe('Kafka', () => {
  it('is plaintext without settings', () => {
    expect(kafkaSecurityOptions(loadConfig({ KAFKA_BROKERS: 'k:9092' }))).toEqual({});
  });

  it('turns TLS on with KAFKA_SSL or a CA file, TLS 1.2 at least, certificates verified', () => {
    expect(kafkaSecurityOptions(loadConfig({ KAFKA_SSL: 'true' }))).toEqual({
      ssl: { minVersion: 'TLSv1.2', rejectUnauthorized: true },
    });
    expect(kafkaSecurityOptions(loadConfig({ KAFKA_CA_FILE: ca }))).toEqual({
      ssl: { minVersion: 'TLSv1.2', rejectUnauthorized: true, ca: PEM },
    });
    expect(() => loadConfig({ KAFKA_SSL: 'false', KAFKA_CA_FILE: ca })).toThrow(
      /^Invalid configuration: KAFKA_CA_FILE is set but KAFKA_SSL is false/,
    );
  });

  it('passes SASL to kafkajs, and refuses PLAIN outside TLS or a half-given login', () => {
    const scram = loadConfig({
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'relay',
      KAFKA_SASL_PASSWORD: 'kafka-pass',
    });
    expect(kafkaSecurityOptions(scram)).toEqual({
      sasl: { mechanism: 'scram-sha-512', username: 'relay', password: 'kafka-pass' },
    });
    const plain = {
      KAFKA_SASL_MECHANISM: 'plain',
      KAFKA_SASL_USERNAME: 'relay',
      KAFKA_SASL_PASSWORD: 'kafka-pass',
    };
    expect(() => loadConfig(plain)).toThrow(
      /^Invalid configuration: KAFKA_SASL_MECHANISM plain sends the password in the clear/,
    );
    expect(kafkaSecurityOptions(loadConfig({ ...plain, KAFKA_SSL: 'true' }))).toMatchObject({
      ssl: { minVersion: 'TLSv1.2' },
      sasl: { mechanism: 'plain', username: 'relay' },
    });
    expect(() => loadConfig({ KAFKA_SASL_MECHANISM: 'gssapi' })).toThrow(
      /^Invalid configuration: KAFKA_SASL_MECHANISM must be one of plain, scram-sha-256, scram-sha-512/,
    );
    expect(() => loadConfig({ KAFKA_SASL_MECHANISM: 'scram-sha-256' })).toThrow(
      /^Invalid configuration: KAFKA_SASL_USERNAME must be set/,
    );
    expect(() =>
      loadConfig({ KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: 'relay' }),
    ).toThrow(/^Invalid configuration: KAFKA_SASL_PASSWORD must be set/);
    expect(() => loadConfig({ KAFKA_SASL_USERNAME: 'relay' })).toThrow(
      /^Invalid configuration: KAFKA_SASL_MECHANISM must be set/,
    );
  });
});

describe('MariaDB', () => {
  const url = 'mysql://relay:pw@db.example:3306/bdia';

  it('is plaintext without settings (and with SQLite)', () => {
    expect(databaseSslOptions(loadConfig({ DATABASE_URL: url }))).toBeUndefined();
    expect(databaseSslOptions(loadConfig({}))).toBeUndefined();
  });

  it('uses TLS with ?ssl=true (system CAs) or DATABASE_CA_FILE', () => {
    expect(databaseSslOptions(loadConfig({ DATABASE_URL: `${url}?ssl=true` }))).toEqual({
      minVersion: 'TLSv1.2',
      rejectUnauthorized: true,
    });
    expect(databaseSslOptions(loadConfig({ DATABASE_URL: url, DATABASE_CA_FILE: ca }))).toEqual({
      minVersion: 'TLSv1.2',
      rejectUnauthorized: true,
      ca: PEM,
    });
  });

  it('stops the start on a ?ssl= it does not know, or a CA file without MariaDB', () => {
    expect(() => loadConfig({ DATABASE_URL: `${url}?ssl=maybe` })).toThrow(
      /^Invalid configuration: DATABASE_URL \?ssl= must be true or required/,
    );
    expect(() => loadConfig({ DATABASE_CA_FILE: ca })).toThrow(
      /^Invalid configuration: DATABASE_CA_FILE is set but DATABASE_URL is not/,
    );
    expect(() => loadConfig({ DATABASE_URL: url, DATABASE_CA_FILE: join(dir, 'x.pem') })).toThrow(
      /^Invalid configuration: DATABASE_CA_FILE cannot be read/,
    );
  });
});
