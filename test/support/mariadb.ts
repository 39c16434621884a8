/**
 * A fresh MariaDB database per test run on the local server (127.0.0.1:3306, root, no password on
 * these machines; MARIADB_URL overrides), dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';

const SERVER_URL = process.env.MARIADB_URL ?? 'mysql://root:@127.0.0.1:3306/';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

async function admin() {
  const u = new URL(SERVER_URL);
  return createConnection({
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
  });
}

/** `latin1` makes a database whose default is what some servers still ship with. */
export type TestCharset = 'utf8mb4' | 'latin1';

export async function createTestDatabase(
  prefix = 'cr_test',
  charset: TestCharset = 'utf8mb4',
): Promise<TestDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const connection = await admin();
  try {
    await connection.query(
      charset === 'utf8mb4'
        ? `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`
        : `CREATE DATABASE \`${name}\` CHARACTER SET latin1 COLLATE latin1_swedish_ci`,
    );
  } finally {
    await connection.end();
  }
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const c = await admin();
      try {
        await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await c.end();
      }
    },
  };
}
