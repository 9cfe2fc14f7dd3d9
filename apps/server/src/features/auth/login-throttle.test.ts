import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../lib/ids';
import { sha256 } from '../../lib/secrets';
import { createTestApp, createTestProject, openTestDatabase } from '../../test/harness';
import { LoginThrottle } from './login-throttle';
import { distinctClientAddress } from './test-addresses';

// Two server processes on one database: on PostgreSQL each has its own connection pool.
let handle: DatabaseHandle;
let secondHandle: DatabaseHandle;
let first: FastifyInstance;
let second: FastifyInstance;

beforeAll(async () => {
  handle = await openTestDatabase();
  secondHandle = process.env.TEST_DATABASE_URL ? await openTestDatabase() : handle;
  first = await createTestApp(handle);
  second = await createTestApp(secondHandle);
});
afterAll(async () => {
  await first?.close();
  await second?.close();
  if (secondHandle !== handle) await secondHandle?.close();
  await handle?.close();
});

const someEmail = () => `someone-${uuidv7()}@example.test`;

function attemptLogin(app: FastifyInstance, email: string, password: string, remoteAddress: string) {
  return app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress, payload: { email, password } });
}

describe('login throttle', () => {
  it('refuses an account after too many failures until the window has passed, and a success clears them', async () => {
    let now = Date.now();
    const throttle = new LoginThrottle(handle.db, { perAccount: 3, perAddress: 100, windowMs: 60_000 }, () => now);
    const email = someEmail();
    const address = distinctClientAddress();
    for (let i = 0; i < 3; i += 1) await throttle.admitAttempt(email.toUpperCase(), address);
    await expect(throttle.admitAttempt(email, distinctClientAddress())).rejects.toThrow(/try again in 1 minute/);

    now += 60_000;
    await throttle.admitAttempt(email, address);
    await throttle.admitAttempt(email, address);
    await throttle.admitAttempt(email, address);
    await throttle.recordSuccess(email, address);
    for (let i = 0; i < 3; i += 1) await throttle.admitAttempt(email, address);
    await expect(throttle.admitAttempt(email, address)).rejects.toThrow(/Too many failed logins/);
  });

  it('limits one address guessing many accounts, and does not count its successful logins', async () => {
    const throttle = new LoginThrottle(handle.db, { perAccount: 100, perAddress: 5, windowMs: 60_000 });
    const address = distinctClientAddress();
    for (let i = 0; i < 10; i += 1) {
      const email = someEmail();
      await throttle.admitAttempt(email, address);
      await throttle.recordSuccess(email, address);
    }
    for (let i = 0; i < 5; i += 1) await throttle.admitAttempt(someEmail(), address);
    await expect(throttle.admitAttempt(someEmail(), address)).rejects.toThrow(/Too many failed logins/);
    await throttle.admitAttempt(someEmail(), distinctClientAddress());
  });

  it('shares the limit between two server processes on one database', async () => {
    const project = await createTestProject(handle);
    const address = distinctClientAddress();
    for (let i = 0; i < 10; i += 1) {
      const app = i % 2 === 0 ? first : second;
      expect((await attemptLogin(app, project.email, 'wrong password', address)).statusCode).toBe(401);
    }
    for (const app of [first, second]) {
      const refused = await attemptLogin(app, project.email, project.password, distinctClientAddress());
      expect(refused.statusCode).toBe(429);
      expect(refused.json().error.message).toMatch(/try again in 15 minutes/);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(800);
    }
  });

  it('lets no more guesses through than the limit when they arrive at once on both processes', async () => {
    const project = await createTestProject(handle);
    const guesses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        attemptLogin(i % 2 === 0 ? first : second, project.email, `guess ${i}`, distinctClientAddress()),
      ),
    );
    const statuses = guesses.map((response) => response.statusCode);
    expect(statuses.filter((status) => status === 401)).toHaveLength(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(20);
  });

  it('stores hashes of the account and address, never the email or address itself', async () => {
    const email = someEmail();
    const address = distinctClientAddress();
    expect((await attemptLogin(first, email, 'wrong password', address)).statusCode).toBe(401);
    const rows = await handle.query<{ key_hash: string; failures: number }>(
      'select key_hash, failures from login_failures where key_hash = any($1)',
      [[sha256(`account:${email}`), sha256(`address:${address}`)]],
    );
    expect(rows.map((row) => row.failures)).toEqual([1, 1]);
    const leaked = await handle.query(
      `select 1 from login_failures f
       where strpos(row_to_json(f)::text, $1) > 0 or strpos(row_to_json(f)::text, $2) > 0`,
      [email, address],
    );
    expect(leaked).toEqual([]);
  });

  it('deletes the rows of windows that have passed', async () => {
    let now = Date.now();
    const throttle = new LoginThrottle(handle.db, { perAccount: 3, perAddress: 100, windowMs: 60_000 }, () => now);
    const email = someEmail();
    await throttle.admitAttempt(email, distinctClientAddress());
    const remaining = () =>
      handle.query('select 1 from login_failures where key_hash = $1', [sha256(`account:${email}`)]);
    expect(await remaining()).toHaveLength(1);

    now += 2 * 60_000;
    await throttle.admitAttempt(someEmail(), distinctClientAddress());
    expect(await remaining()).toEqual([]);
  });
});
