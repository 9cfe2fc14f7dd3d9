// The real server, bundled as `pnpm start` runs it, in a child process the checks can kill, restart and measure.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../bench/harness';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SERVER_BUNDLE = `${ROOT}apps/server/dist/server.mjs`;
const LOG_DIR = fileURLToPath(new URL('../results/', import.meta.url));

export const ADMIN = { email: 'reliability@example.com', password: 'reliability-password-not-secret' };

export interface ServerOptions {
  /** A PostgreSQL URL, or undefined for the embedded database in `dataDir`. */
  databaseUrl?: string;
  dataDir?: string;
  /** A name for the log file under reliability/results/. */
  name: string;
  env?: Record<string, string>;
}

export class ServerProcess {
  readonly apiKey = `pl_reliability_${randomBytes(16).toString('hex')}`;
  child: ChildProcess | undefined;
  private starts = 0;

  private constructor(
    private readonly options: ServerOptions,
    readonly port: number,
    /** PROMPTLOG_HEALTH_PORT, as the Docker image sets it for its probes. */
    readonly healthPort: number,
  ) {}

  static async start(options: ServerOptions): Promise<ServerProcess> {
    const port = await freePort();
    let healthPort = await freePort();
    while (healthPort === port) healthPort = await freePort();
    const server = new ServerProcess(options, port, healthPort);
    await server.restart();
    return server;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    if (this.child?.pid === undefined) throw new Error('the server is not running');
    return this.child.pid;
  }

  /** Health on the port that serves only probes. */
  get healthProbeUrl(): string {
    return `http://127.0.0.1:${this.healthPort}/api/health`;
  }

  get auth(): { authorization: string } {
    return { authorization: `Bearer ${this.apiKey}` };
  }

  /** Starts the process (again, on the same port and database) and waits until it answers its health check. */
  async restart(): Promise<void> {
    mkdirSync(LOG_DIR, { recursive: true });
    const log = createWriteStream(`${LOG_DIR}${this.options.name}.log`, { flags: this.starts === 0 ? 'w' : 'a' });
    this.starts++;
    const child = spawn(process.execPath, [SERVER_BUNDLE], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(this.port),
        PROMPTLOG_HEALTH_PORT: String(this.healthPort),
        ...(this.options.databaseUrl ? { DATABASE_URL: this.options.databaseUrl } : {}),
        ...(this.options.dataDir ? { PROMPTLOG_DATA_DIR: this.options.dataDir } : {}),
        PROMPTLOG_INIT_ADMIN_EMAIL: ADMIN.email,
        PROMPTLOG_INIT_ADMIN_PASSWORD: ADMIN.password,
        PROMPTLOG_INIT_PROJECT_NAME: 'Reliability',
        PROMPTLOG_INIT_API_KEY: this.apiKey,
        PROMPTLOG_LOG_LEVEL: 'warn',
        ...this.options.env,
      },
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    this.child = child;
    await this.waitUntilHealthy(30_000);
  }

  async waitUntilHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer';
    while (Date.now() < deadline) {
      if (this.child && hasExited(this.child)) {
        const how = this.child.exitCode ?? this.child.signalCode;
        throw new Error(`the server exited (${how}); see reliability/results/${this.options.name}.log`);
      }
      try {
        const response = await fetch(`${this.baseUrl}/api/health`, { signal: AbortSignal.timeout(2_000) });
        if (response.ok) return;
        last = `HTTP ${response.status}`;
      } catch (error) {
        last = String(error);
      }
      await sleep(100);
    }
    throw new Error(`the server was not healthy within ${timeoutMs} ms (${last})`);
  }

  /** Ends the process with `signal` and resolves once it has exited. */
  async kill(signal: NodeJS.Signals): Promise<number | null> {
    const child = this.child;
    if (!child || hasExited(child)) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill(signal);
    return exited;
  }

  async stop(): Promise<void> {
    await this.kill('SIGKILL');
  }
}

/** A process ended by a signal keeps a null exit code: its signal code says it is gone. */
function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
