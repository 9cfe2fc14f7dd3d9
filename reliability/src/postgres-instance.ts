// A PostgreSQL server of the suite's own, made with the machine's initdb and pg_ctl in a temporary folder, so
// that stopping and restarting it never touches the shared local server.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface PostgresInstance {
  url: string;
  port: number;
  dataDir: string;
}

/** PostgreSQL refuses to run as root: as root, its commands run as the `postgres` user. */
const RUN_AS = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];

function binary(name: string): string {
  const bindir = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  const fromConfig = bindir.status === 0 ? path.join(bindir.stdout.trim(), name) : name;
  return spawnSync(fromConfig, ['--version']).status === 0 ? fromConfig : name;
}

function run(command: string, args: string[]): string {
  const [program = command, ...rest] = [...RUN_AS, command, ...args];
  try {
    return execFileSync(program, rest, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(`${command} ${args.join(' ')} failed: ${stderr || stdout || String(error)}`);
  }
}

export function createPostgresInstance(port: number): PostgresInstance {
  const root = mkdtempSync(path.join(tmpdir(), 'promptlog-reliability-'));
  const dataDir = path.join(root, 'data');
  if (RUN_AS.length > 0) chownSync(root, Number(run('id', ['-u'])), Number(run('id', ['-g'])));
  run(binary('initdb'), ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  const instance = { url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, dataDir };
  startPostgres(instance);
  return instance;
}

// fsync off: the suite kills Promptlog and restarts PostgreSQL, never the machine, so what PostgreSQL has
// committed survives either way, and a shared machine's disk does not slow the figures.
export function startPostgres(instance: PostgresInstance): void {
  const options = `-p ${instance.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${path.dirname(instance.dataDir)} -c fsync=off -c max_connections=200`;
  run(binary('pg_ctl'), [
    '-D',
    instance.dataDir,
    '-o',
    options,
    '-l',
    `${instance.dataDir}/../postgres.log`,
    '-w',
    'start',
  ]);
}

/** `fast` ends every connection at once, as a restart by an orchestrator or a failover does. */
export function stopPostgres(instance: PostgresInstance, mode: 'fast' | 'immediate' = 'fast'): void {
  run(binary('pg_ctl'), ['-D', instance.dataDir, '-m', mode, '-w', 'stop']);
}

export function removePostgresInstance(instance: PostgresInstance): void {
  try {
    stopPostgres(instance, 'immediate');
  } catch {
    // Already stopped.
  }
  rmSync(path.dirname(instance.dataDir), { recursive: true, force: true });
}

/** A database URL on the instance for one test file. */
export function databaseUrl(instance: PostgresInstance, name: string): string {
  return instance.url.replace(/\/postgres$/, `/${name}`);
}
