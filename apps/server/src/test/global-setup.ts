import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migratedEmbeddedSnapshot, openDatabase } from '@promptlog/db';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated embedded database, dumped once: each test file starts its own copy from it. */
    embeddedSnapshotFile: string;
  }
}

/**
 * With a real Postgres, migrate it once before the test files run in parallel. On the embedded database, migrate one
 * and dump it: starting from the dump takes about a tenth of an embedded initdb.
 */
export default async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const handle = await openDatabase({ kind: 'postgres', url });
    await handle.migrate();
    await handle.close();
    return;
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'promptlog-test-'));
  const file = path.join(dir, 'migrated.tar');
  await writeFile(file, Buffer.from(await (await migratedEmbeddedSnapshot()).arrayBuffer()));
  project.provide('embeddedSnapshotFile', file);
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}
