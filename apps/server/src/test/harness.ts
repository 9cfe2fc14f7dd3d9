import { readFile } from 'node:fs/promises';
import type { ProjectRole } from '@promptlog/contracts';
import { type DatabaseHandle, openDatabase, projectMembers, promptAccess } from '@promptlog/db';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { buildApp } from '../app';
import { type Config, loadConfig } from '../config';
import { createApiKey } from '../features/api-keys/service';
import { createUser } from '../features/auth/service';
import { createProject } from '../features/projects/service';
import { uuidv7 } from '../lib/ids';

/**
 * Tests run against real Postgres when TEST_DATABASE_URL is set (CI does both), otherwise against an in-memory
 * embedded database started from the migrated one the global setup dumped.
 *
 * Every test file shares one PostgreSQL database, so each test makes its own project. On the embedded database the
 * files of one worker likewise share one database: opening it costs ~0.9 s, which over ~90 files was a fifth of the
 * run. Its close() leaves it open for the worker's next file; openIsolatedTestDatabase gives a database of its own.
 */
export async function openTestDatabase(): Promise<DatabaseHandle> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) return openDatabase({ kind: 'postgres', url, poolSize: 4 });
  workerEmbeddedDatabase ??= openEmbeddedTestDatabase();
  return { ...(await workerEmbeddedDatabase), close: async () => {} };
}

let workerEmbeddedDatabase: Promise<DatabaseHandle> | undefined;

async function openEmbeddedTestDatabase(): Promise<DatabaseHandle> {
  const snapshot = new Blob([await readFile(inject('embeddedSnapshotFile'))]);
  return openDatabase({ kind: 'embedded', snapshot });
}

/**
 * A database no other test touches (for first-run setup, which needs no user to exist): on Postgres
 * a new database created for the caller and dropped by the returned close().
 */
export async function openIsolatedTestDatabase(): Promise<DatabaseHandle> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return openEmbeddedTestDatabase();
  const name = `promptlog_isolated_${uuidv7().replaceAll('-', '')}`;
  const admin = await openDatabase({ kind: 'postgres', url, poolSize: 1 });
  await admin.query(`create database ${name}`);
  const isolatedUrl = new URL(url);
  isolatedUrl.pathname = `/${name}`;
  const handle = await openDatabase({ kind: 'postgres', url: isolatedUrl.toString(), poolSize: 2 });
  await handle.migrate();
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await admin.query(`drop database if exists ${name}`);
      await admin.close();
    },
  };
}

export interface TestProject {
  projectId: string;
  apiKey: string;
  email: string;
  password: string;
  auth: { authorization: string };
}

/** A fresh project with an API key and an admin user, so each test owns its data. */
export async function createTestProject(handle: DatabaseHandle): Promise<TestProject> {
  const email = `admin-${uuidv7()}@example.test`;
  const password = 'correct horse battery';
  const userId = await createUser(handle.db, email, password);
  const projectId = await createProject(handle.db, 'Test project', userId);
  const { key } = await createApiKey(handle.db, projectId, { label: 'test' });
  return { projectId, apiKey: key, email, password, auth: { authorization: `Bearer ${key}` } };
}

/** The configuration tests run with; `env` adds to or overrides it as environment variables would. */
export function testConfig(env: Record<string, string> = {}): Config {
  // Tests share a small pool and a busy event loop on purpose; load shedding has its own test. They walk their
  // project's re-pricings themselves (finishRepricing), so no app's worker takes another test's job on a shared database.
  return loadConfig({
    PROMPTLOG_LOG_LEVEL: 'silent',
    PROMPTLOG_WEB_DIST: '/nonexistent',
    PROMPTLOG_LOAD_SHEDDING: 'false',
    PROMPTLOG_REPRICING_INTERVAL_MS: '0',
    // Likewise alerts: tests evaluate and deliver their own project's, so no app sends another test's webhooks.
    PROMPTLOG_ALERTS_INTERVAL_MS: '0',
    ...env,
  });
}

export async function createTestApp(
  handle: DatabaseHandle,
  overrides: Partial<Config['limits']> = {},
): Promise<FastifyInstance> {
  const base = testConfig();
  const app = await buildApp({ ...base, limits: { ...base.limits, ...overrides } }, handle);
  await app.ready();
  return app;
}

export interface OpenedTestApp {
  handle: DatabaseHandle;
  app: FastifyInstance;
}

/**
 * This file's database and app: opened before its tests and handed to `opened`, closed after them. When opening
 * fails part-way, closing skips what never opened, so the error reported is the first one.
 */
export function useTestApp(opened: (context: OpenedTestApp) => void, limits: Partial<Config['limits']> = {}): void {
  let handle: DatabaseHandle | undefined;
  let app: FastifyInstance | undefined;
  beforeAll(async () => {
    handle = await openTestDatabase();
    app = await createTestApp(handle, limits);
    opened({ handle, app });
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });
}

export interface TestSession {
  userId: string;
  email: string;
  cookies: { promptlog_session: string };
  /** The CSRF header every cookie-authenticated change must carry. */
  headers: { 'x-csrf-token': string };
}

/** Logs executions in one batch with the project's key, expecting every one created; their ids, in order. */
export async function logBatch(app: FastifyInstance, project: TestProject, executions: object[]): Promise<string[]> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/executions/batch',
    headers: project.auth,
    payload: { executions },
  });
  expect(response.statusCode, response.body).toBe(200);
  const results: { id: string; status: string }[] = response.json().results;
  expect(results.map((result) => result.status)).toEqual(executions.map(() => 'created'));
  return results.map((result) => result.id);
}

/** Changes the project's settings (retention, payload policy, redaction) as its admin, expecting them saved. */
export async function saveSettings(app: FastifyInstance, project: TestProject, payload: object): Promise<void> {
  const session = await logIn(app, project.email, project.password);
  const saved = await injectAs(app, session, { method: 'PATCH', url: '/api/v1/settings', payload });
  expect(saved.statusCode, saved.body).toBe(200);
}

/** A request made in a logged-in user's browser: with their session cookie and CSRF header. */
export function injectAs(app: FastifyInstance, session: TestSession, options: InjectOptions) {
  return app.inject({ ...options, cookies: session.cookies, headers: { ...session.headers, ...options.headers } });
}

export async function logIn(app: FastifyInstance, email: string, password: string): Promise<TestSession> {
  const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.statusCode} ${response.body}`);
  const me = response.json();
  const token = response.cookies.find((c) => c.name === 'promptlog_session')?.value ?? '';
  return {
    userId: me.user.id,
    email: me.user.email,
    cookies: { promptlog_session: token },
    headers: { 'x-csrf-token': me.csrfToken },
  };
}

/** A new user who is a member of the project with the role, optionally granted some prompts. */
export async function addTestMember(
  handle: DatabaseHandle,
  projectId: string,
  role: ProjectRole,
  grantedPrompts: string[] = [],
): Promise<{ userId: string; email: string; password: string }> {
  const email = `${role}-${uuidv7()}@example.test`;
  const password = 'correct horse battery';
  const userId = await createUser(handle.db, email, password);
  await handle.db.insert(projectMembers).values({ projectId, userId, role });
  for (const promptId of grantedPrompts) await handle.db.insert(promptAccess).values({ projectId, userId, promptId });
  return { userId, email, password };
}
