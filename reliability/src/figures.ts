// Each check reports its figures here; the global teardown prints them as one table, so a run's output says
// what was measured and not only that the assertions held.
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

/** One file per run, so runs side by side keep their figures apart. */
export function figuresFileFor(runId: string): string {
  const dir = fileURLToPath(new URL('../results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  return `${dir}figures-${runId}.jsonl`;
}

export interface Figure {
  check: string;
  figure: string;
  value: string | number;
}

export function reportFigure(check: string, figure: string, value: string | number): void {
  appendFileSync(inject('figuresFile'), `${JSON.stringify({ check, figure, value } satisfies Figure)}\n`);
}

/** The figures reported to `file`, which is then removed. */
export function takeFigures(file: string): Figure[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  rmSync(file);
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Figure);
}
