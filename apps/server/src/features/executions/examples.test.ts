import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestProject, useTestApp } from '../../test/harness';

const run = promisify(execFile);
const examplesDir = fileURLToPath(new URL('../../../../../examples', import.meta.url));

let handle: DatabaseHandle;
let app: FastifyInstance;
let appUrl: string;

useTestApp((opened) => {
  ({ handle, app } = opened);
});
beforeAll(async () => {
  appUrl = await app.listen({ port: 0, host: '127.0.0.1' });
});

interface StoredRow {
  prompt_id: string;
  status: string;
  provider: string;
  input_tokens: number | null;
  time_to_first_token_ms: number | null;
  tool_call_count: number;
  cost_origin: string;
  trace_id: string | null;
}

/** Runs an example as a user would, against the real server with a fresh project's key. */
async function runExample(script: string) {
  const project = await createTestProject(handle);
  const env: NodeJS.ProcessEnv = { ...process.env, PROMPTLOG_URL: appUrl, PROMPTLOG_API_KEY: project.apiKey };
  for (const name of ['OPENAI_BASE_URL', 'OPENAI_API_KEY', 'ANTHROPIC_BASE_URL', 'ANTHROPIC_API_KEY']) delete env[name];
  const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', script], {
    cwd: examplesDir,
    env,
    timeout: 25_000,
  });
  const rows = await handle.query<StoredRow>(
    `select prompt_id, status, provider, input_tokens, time_to_first_token_ms, tool_call_count, cost_origin, trace_id
       from executions where project_id = $1 order by started_at`,
    [project.projectId],
  );
  const steps = await handle.query<{ kind: string; name: string; trace_id: string }>(
    // Spans started within the same millisecond have no reliable order, so steps are read by kind and name.
    'select kind, name, trace_id from trace_spans where project_id = $1 order by kind, name',
    [project.projectId],
  );
  return { stdout, stderr, rows, steps };
}

describe('the SDK examples', () => {
  it.each([
    ['openai-wrapper.ts', 'examples.openai-wrapper', 'openai'],
    ['anthropic-wrapper.ts', 'examples.anthropic-wrapper', 'anthropic'],
  ])('%s logs a plain, a streamed and a tool call, and prints what arrived', async (script, promptId, provider) => {
    const { stdout, stderr, rows } = await runExample(script);
    expect(stderr).toBe('');
    expect(stdout).toContain(`Promptlog stored 4 executions of "${promptId}" for this run`);
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      expect(row).toMatchObject({ prompt_id: promptId, status: 'success', provider });
      expect(row.input_tokens).toBeGreaterThan(0);
    }
    expect(rows.filter((row) => row.time_to_first_token_ms !== null)).toHaveLength(1);
    expect(rows.filter((row) => row.tool_call_count === 1)).toHaveLength(1);
  });
});

describe('the OpenTelemetry examples', () => {
  it('otel-openinference.ts: OpenInference spans through the OTLP exporter become one trace with two LLM calls', async () => {
    const { stdout, rows, steps } = await runExample('otel-openinference.ts');
    expect(stdout).toContain('2 LLM calls');
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toMatchObject({ prompt_id: 'examples.otel-openinference', status: 'success', provider: 'openai' });
      expect(row.cost_origin).toBe('catalog');
    }
    expect(steps.map((s) => [s.kind, s.name])).toEqual([
      ['chain', 'answer-ticket'],
      ['tool', 'get_order_status'],
    ]);
    expect(new Set([...rows.map((r) => r.trace_id), ...steps.map((s) => s.trace_id)]).size).toBe(1);
  });

  it("ai-sdk-telemetry.ts: the AI SDK's call spans become executions named by promptlog.* metadata, never the outer spans", async () => {
    const { stdout, rows, steps } = await runExample('ai-sdk-telemetry.ts');
    expect(stdout).toContain('3 LLM calls');
    expect(rows.map((r) => r.prompt_id)).toEqual(['examples.ai-sdk', 'examples.ai-sdk', 'examples.ai-sdk-haiku']);
    expect(rows.filter((r) => r.tool_call_count === 1)).toHaveLength(1);
    expect(steps.map((s) => [s.kind, s.name])).toEqual([
      ['agent', 'invoke_agent support'],
      ['chain', 'ai.generateText'],
      ['chain', 'ai.streamText'],
      ['tool', 'ai.toolCall'],
    ]);
  });
});
