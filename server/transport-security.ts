/**
 * Transport security of the relay's links (seed 001 §9, note 2: encrypted links, TLS 1.2 or
 * later): the configuration turned into what kafkajs, mysql2 and the TCS client take. Pure apart
 * from reading the CA files the configuration names; docs/DEPLOYMENT.md, "Transport security".
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions, SecureVersion } from 'node:tls';
import type { SASLOptions } from 'kafkajs';

/** The oldest TLS any of the relay's links accepts. */
export const MIN_TLS_VERSION: SecureVersion = 'TLSv1.2';
const PEM_CERTIFICATE = '-----BEGIN CERTIFICATE-----';

export const KAFKA_SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

/** `?ssl=` values of DATABASE_URL that turn TLS on (with the system's CAs, or DATABASE_CA_FILE). */
export const DATABASE_SSL_VALUES = ['true', 'required'] as const;

/** Why a CA file cannot be used, or null when it holds at least one PEM certificate. */
export function caFileProblem(path: string): string | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return `cannot be read (${typeof code === 'string' ? code : 'error'}): give a PEM file of CA certificates`;
  }
  return text.includes(PEM_CERTIFICATE)
    ? null
    : 'holds no PEM certificate (-----BEGIN CERTIFICATE-----)';
}

/** The part of the configuration this module reads. */
export interface TransportSecurityConfig {
  TCS_URL?: string | undefined;
  TCS_CA_FILE?: string | undefined;
  KAFKA_SSL?: boolean | undefined;
  KAFKA_CA_FILE?: string | undefined;
  KAFKA_SASL_MECHANISM?: KafkaSaslMechanism | undefined;
  KAFKA_SASL_USERNAME?: string | undefined;
  KAFKA_SASL_PASSWORD?: string | undefined;
  DATABASE_URL?: string | undefined;
  DATABASE_CA_FILE?: string | undefined;
}

/** Whether the Kafka link uses TLS: KAFKA_SSL, or implied by KAFKA_CA_FILE. */
export function kafkaUsesTls(config: TransportSecurityConfig): boolean {
  return config.KAFKA_SSL ?? config.KAFKA_CA_FILE !== undefined;
}

/** kafkajs's `ssl` and `sasl` options (left out when not configured: plaintext, no SASL). */
export function kafkaSecurityOptions(config: TransportSecurityConfig): {
  ssl?: ConnectionOptions;
  sasl?: SASLOptions;
} {
  const ssl: ConnectionOptions | undefined = kafkaUsesTls(config)
    ? {
        minVersion: MIN_TLS_VERSION,
        rejectUnauthorized: true,
        ...(config.KAFKA_CA_FILE !== undefined && {
          ca: readFileSync(config.KAFKA_CA_FILE, 'utf8'),
        }),
      }
    : undefined;
  const sasl: SASLOptions | undefined =
    config.KAFKA_SASL_MECHANISM === undefined
      ? undefined
      : ({
          mechanism: config.KAFKA_SASL_MECHANISM,
          username: config.KAFKA_SASL_USERNAME ?? '',
          password: config.KAFKA_SASL_PASSWORD ?? '',
        } as SASLOptions);
  return { ...(ssl && { ssl }), ...(sasl && { sasl }) };
}

/** Whether DATABASE_URL asks for TLS (`?ssl=true` or `?ssl=required`) or a CA file is given. */
export function databaseUsesTls(config: TransportSecurityConfig): boolean {
  if (config.DATABASE_CA_FILE !== undefined) return true;
  if (config.DATABASE_URL === undefined) return false;
  const ssl = new URL(config.DATABASE_URL).searchParams.get('ssl');
  return ssl !== null && (DATABASE_SSL_VALUES as readonly string[]).includes(ssl);
}

/** TLS for mysql2 (its own `ssl` shape, a subset of node's), or undefined for a plaintext link. */
export interface DatabaseSsl {
  minVersion: SecureVersion;
  rejectUnauthorized: true;
  ca?: string;
}

export function databaseSslOptions(config: TransportSecurityConfig): DatabaseSsl | undefined {
  if (!databaseUsesTls(config)) return undefined;
  return {
    minVersion: MIN_TLS_VERSION,
    rejectUnauthorized: true,
    ...(config.DATABASE_CA_FILE !== undefined && {
      ca: readFileSync(config.DATABASE_CA_FILE, 'utf8'),
    }),
  };
}

/** The CA the TCS client trusts instead of the system's (TCS_CA_FILE), if any. */
export function tcsCa(config: TransportSecurityConfig): string | undefined {
  return config.TCS_CA_FILE === undefined ? undefined : readFileSync(config.TCS_CA_FILE, 'utf8');
}

/**
 * A combination of settings that cannot be what was meant, as the variable to name and why;
 * null when they fit together. (Each value on its own is checked by the schema.)
 */
export function transportSecurityProblem(
  config: TransportSecurityConfig & { TCS_ALLOW_INSECURE_HTTP?: boolean },
): { variable: string; reason: string } | null {
  if (config.TCS_URL !== undefined && new URL(config.TCS_URL).protocol === 'http:') {
    if (!config.TCS_ALLOW_INSECURE_HTTP) {
      return {
        variable: 'TCS_URL',
        reason:
          'must be https:// (the TCS link needs TLS 1.2 or later, seed 001 §9); for a local stand-in only, set TCS_ALLOW_INSECURE_HTTP=true',
      };
    }
    if (config.TCS_CA_FILE !== undefined) {
      return {
        variable: 'TCS_CA_FILE',
        reason: 'is set but TCS_URL is http:// (no TLS to use it)',
      };
    }
  }
  if (config.KAFKA_CA_FILE !== undefined && config.KAFKA_SSL === false) {
    return { variable: 'KAFKA_CA_FILE', reason: 'is set but KAFKA_SSL is false' };
  }
  if (config.KAFKA_SASL_MECHANISM !== undefined) {
    if (!config.KAFKA_SASL_USERNAME) {
      return { variable: 'KAFKA_SASL_USERNAME', reason: 'must be set with KAFKA_SASL_MECHANISM' };
    }
    if (!config.KAFKA_SASL_PASSWORD) {
      return { variable: 'KAFKA_SASL_PASSWORD', reason: 'must be set with KAFKA_SASL_MECHANISM' };
    }
    // PLAIN sends the password as it is: only inside TLS.
    if (config.KAFKA_SASL_MECHANISM === 'plain' && !kafkaUsesTls(config)) {
      return {
        variable: 'KAFKA_SASL_MECHANISM',
        reason: 'plain sends the password in the clear: set KAFKA_SSL=true (or use scram-sha-512)',
      };
    }
  } else if (config.KAFKA_SASL_USERNAME !== undefined || config.KAFKA_SASL_PASSWORD !== undefined) {
    return {
      variable: 'KAFKA_SASL_MECHANISM',
      reason: `must be set (${KAFKA_SASL_MECHANISMS.join(', ')}) when a SASL username or password is`,
    };
  }
  if (config.DATABASE_URL !== undefined) {
    const ssl = new URL(config.DATABASE_URL).searchParams.get('ssl');
    if (ssl !== null && !(DATABASE_SSL_VALUES as readonly string[]).includes(ssl)) {
      return {
        variable: 'DATABASE_URL',
        reason: `?ssl= must be ${DATABASE_SSL_VALUES.join(' or ')} (or left out; DATABASE_CA_FILE turns TLS on too)`,
      };
    }
  } else if (config.DATABASE_CA_FILE !== undefined) {
    return {
      variable: 'DATABASE_CA_FILE',
      reason: 'is set but DATABASE_URL is not (SQLite has no link)',
    };
  }
  return null;
}
