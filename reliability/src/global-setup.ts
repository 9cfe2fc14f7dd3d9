import { writeFileSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { freePort, table } from '../../bench/harness';
import { buildServer } from '../../scripts/build-server.mjs';
import { figuresFileFor, takeFigures } from './figures';
import { createPostgresInstance, type PostgresInstance, removePostgresInstance } from './postgres-instance';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
    postgresDataDir: string;
    postgresPort: number;
    figuresFile: string;
  }
}

let instance: PostgresInstance | undefined;
const started = Date.now();
const figuresFile = figuresFileFor(String(process.pid));

export async function setup(project: TestProject): Promise<void> {
  project.provide('figuresFile', figuresFile);
  await buildServer();
  instance = createPostgresInstance(await freePort());
  project.provide('postgresUrl', instance.url);
  project.provide('postgresDataDir', instance.dataDir);
  project.provide('postgresPort', instance.port);
}

export async function teardown(): Promise<void> {
  if (instance) removePostgresInstance(instance);
  const figures = takeFigures(figuresFile);
  if (figures.length === 0) return;
  const rows = [['check', 'figure', 'value'], ...figures.map((f) => [f.check, f.figure, String(f.value)])];
  const report = `Reliability figures (suite took ${Math.round((Date.now() - started) / 1000)} s)\n\n${table(rows)}\n`;
  console.log(`\n${report}`);
  writeFileSync(new URL('../results/figures.txt', import.meta.url), report);
}
