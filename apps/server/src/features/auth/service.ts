import type { AcceptInviteRequest, ChangePasswordRequest, LoginRequest, Me, SetupRequest } from '@promptlog/contracts';
import { type Database, type QueryRunner, sessions, users } from '@promptlog/db';
import { and, eq, lte, ne, sql } from 'drizzle-orm';
import { AppError, postgresErrorCode } from '../../errors';
import { uuidv7 } from '../../lib/ids';
import { hashPassword, randomToken, sha256, verifyPassword } from '../../lib/secrets';
import { loadUserProjects } from '../access/memberships';
import { type AuditActor, recordAudit } from '../audit/service';
import { redeemInvite } from '../members/invites';
import { createProjectWithFirstKey } from '../projects/service';
import type { LoginThrottle } from './login-throttle';

export interface SessionUser {
  id: string;
  email: string;
}

/** Someone just logged in: who, and the token of their new session (for the cookie). */
export interface StartedSession {
  user: SessionUser;
  sessionToken: string;
}

export async function needsSetup(db: Database): Promise<boolean> {
  const [row] = await db.select({ id: users.id }).from(users).limit(1);
  return !row;
}

/** Who made the first start: the new admin on the setup page, or the server from its PROMPTLOG_INIT_* settings. */
export type SetupOrigin = 'setup-page' | 'headless';

const HEADLESS_SETUP: AuditActor = { kind: 'system', id: null, label: 'Promptlog (PROMPTLOG_INIT_* settings)' };

/**
 * Creates the first admin, their project and its first API key, and records the three in the project's audit log;
 * refused once any user exists.
 */
export async function createInitialAdmin(
  db: Database,
  input: SetupRequest & { apiKey?: string },
  origin: SetupOrigin,
): Promise<{ userId: string; apiKey: string }> {
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(8412002)`);
    if (!(await needsSetup(tx))) {
      throw new AppError('setup_complete', 'Promptlog is already set up; log in instead');
    }
    const userId = await insertUser(tx, input.email, passwordHash);
    const email = input.email.toLowerCase();
    const actor: AuditActor = origin === 'headless' ? HEADLESS_SETUP : { kind: 'user', id: userId, label: email };
    const created = await createProjectWithFirstKey(
      tx,
      input.projectName,
      { userId, actor },
      {
        key: input.apiKey,
        via: origin === 'headless' ? 'first start from PROMPTLOG_INIT_* settings' : 'first-run setup page',
        firstAdminEmail: email,
      },
    );
    return { userId, apiKey: created.key };
  });
}

/** First run from the setup page: the first admin, project and key, and the admin's first session. */
export async function setUp(
  db: Database,
  input: SetupRequest,
  sessionDays: number,
): Promise<StartedSession & { apiKey: string }> {
  const { userId, apiKey } = await createInitialAdmin(db, input, 'setup-page');
  const sessionToken = await createSession(db, userId, sessionDays);
  return { user: { id: userId, email: input.email.toLowerCase() }, sessionToken, apiKey };
}

/**
 * Checks the password under the login throttle (the attempt counts as failed until it proves right, so failures are
 * kept whatever happens next) and opens a session.
 */
export async function logIn(
  db: Database,
  throttle: LoginThrottle,
  credentials: LoginRequest,
  clientAddress: string,
  sessionDays: number,
): Promise<StartedSession> {
  const { email, password } = credentials;
  await throttle.admitAttempt(email, clientAddress);
  const userId = await verifyCredentials(db, email, password);
  if (!userId) throw new AppError('unauthorized', 'Wrong email or password');
  await throttle.recordSuccess(email, clientAddress);
  return {
    user: { id: userId, email: email.toLowerCase() },
    sessionToken: await createSession(db, userId, sessionDays),
  };
}

async function insertUser(db: Database, email: string, passwordHash: string): Promise<string> {
  const id = uuidv7();
  await db.insert(users).values({ id, email: email.toLowerCase(), passwordHash });
  return id;
}

export async function createUser(db: Database, email: string, password: string): Promise<string> {
  return insertUser(db, email, await hashPassword(password));
}

export async function findUserByEmail(db: Database, email: string): Promise<SessionUser | null> {
  const [user] = await db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(eq(sql`lower(${users.email})`, email.toLowerCase()))
    .limit(1);
  return user ?? null;
}

export async function verifyCredentials(db: Database, email: string, password: string): Promise<string | null> {
  const [user] = await db
    .select({ id: users.id, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(sql`lower(${users.email})`, email.toLowerCase()))
    .limit(1);
  // Hash anyway when the user is unknown, so response time does not reveal which emails exist.
  const valid = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  return user && valid ? user.id : null;
}
const DUMMY_HASH = await hashPassword('not-a-real-password');

export async function createSession(db: Database, userId: string, days: number): Promise<string> {
  const token = randomToken();
  await db.insert(sessions).values({
    id: sha256(token),
    userId,
    expiresAt: new Date(Date.now() + days * 86_400_000),
  });
  return token;
}

export async function deleteSession(db: Database, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sha256(token)));
}

/** Deletes the sessions that expired before `now` (they no longer log anyone in); returns how many. */
export async function deleteExpiredSessions(db: Database, now: Date): Promise<number> {
  const gone = await db.delete(sessions).where(lte(sessions.expiresAt, now)).returning({ id: sessions.id });
  return gone.length;
}

/** Ends every session of a user, or every one but `keepToken`'s. */
export async function deleteUserSessions(db: Database, userId: string, keepToken?: string): Promise<void> {
  const others = keepToken ? ne(sessions.id, sha256(keepToken)) : undefined;
  await db.delete(sessions).where(and(eq(sessions.userId, userId), others));
}

/**
 * Checks the current password under the login throttle (a stolen session must not be able to guess it either),
 * stores the new one and ends the user's other sessions.
 */
export async function changePassword(
  db: Database,
  throttle: LoginThrottle,
  session: { user: SessionUser; sessionToken: string; clientAddress: string },
  passwords: ChangePasswordRequest,
): Promise<void> {
  const { user, sessionToken, clientAddress } = session;
  await throttle.admitAttempt(user.email, clientAddress);
  if (!(await verifyCredentials(db, user.email, passwords.currentPassword))) {
    throw new AppError('validation_failed', 'The current password is wrong', [
      { path: 'currentPassword', message: 'is not your current password' },
    ]);
  }
  const passwordHash = await hashPassword(passwords.newPassword);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, user.id));
    await deleteUserSessions(tx, user.id, sessionToken);
  });
  await throttle.recordSuccess(user.email, clientAddress);
}

/** A logged-in user joins a project through an invite link; the membership and its audit event commit together. */
export async function joinByInvite(db: Database, token: string, user: SessionUser): Promise<void> {
  await db.transaction(async (tx) => {
    const joined = await redeemInvite(tx, token, user.id);
    await recordAudit(tx, joined.projectId, {
      action: 'member.joined',
      actor: { kind: 'user', id: user.id, label: user.email },
      target: user.email,
      details: { role: joined.role, inviteId: joined.inviteId },
    });
  });
}

/**
 * Someone new accepts an invite: their account, the membership, its audit event and their first session are
 * written in one transaction, so a failure leaves the link unused and no account behind.
 */
export async function signUpByInvite(
  db: Database,
  token: string,
  credentials: AcceptInviteRequest,
  sessionDays: number,
): Promise<StartedSession> {
  const { email, password } = credentials;
  if (!email || !password) {
    throw new AppError('validation_failed', 'Log in first, or create an account with email and password', [
      ...(email ? [] : [{ path: 'email', message: 'is required to create an account' }]),
      ...(password ? [] : [{ path: 'password', message: 'is required to create an account' }]),
    ]);
  }
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const userId = await insertUser(tx, email, passwordHash).catch((error: unknown) => {
      if (postgresErrorCode(error) === '23505') {
        throw new AppError('conflict', 'An account with this email exists; log in, then open the invite link again');
      }
      throw error;
    });
    const joined = await redeemInvite(tx, token, userId);
    const user = { id: userId, email: email.toLowerCase() };
    await recordAudit(tx, joined.projectId, {
      action: 'member.joined',
      actor: { kind: 'user', id: user.id, label: user.email },
      target: user.email,
      details: { role: joined.role, inviteId: joined.inviteId },
    });
    return { user, sessionToken: await createSession(tx, userId, sessionDays) };
  });
}

/** The CSRF token of a session: derived from its secret token, so it needs no storage and dies with the session. */
export function csrfTokenFor(sessionToken: string): string {
  return sha256(`promptlog-csrf:${sessionToken}`);
}

export async function findSessionUser(db: Database, token: string): Promise<SessionUser | null> {
  const [row] = await db
    .select({ id: users.id, email: users.email })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(sql`${sessions.id} = ${sha256(token)} and ${sessions.expiresAt} > now()`)
    .limit(1);
  return row ?? null;
}

export async function getMe(handle: QueryRunner, user: SessionUser, sessionToken: string): Promise<Me> {
  const { projects } = await loadUserProjects(handle, user.id);
  return { user, projects, csrfToken: csrfTokenFor(sessionToken) };
}
