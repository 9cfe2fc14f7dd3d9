import { randomBytes } from 'node:crypto';
import type { TraceExecutionNode, TraceNode, TraceSpanNode, TraceView } from '@promptlog/contracts';
import { type DatabaseHandle, projectMembers, traceSpans } from '@promptlog/db';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../lib/ids';
import { addTestMember, createTestProject, logIn, type TestProject, useTestApp } from '../../test/harness';
import { createApiKey } from '../api-keys/service';
import { newSpanId, newTraceId, otlpJson } from '../otlp/test-spans';

let handle: DatabaseHandle;
let app: FastifyInstance;
let project: TestProject;

useTestApp((opened) => {
  ({ handle, app } = opened);
});
beforeAll(async () => {
  project = await createTestProject(handle);
});

const T0 = Date.parse('2026-11-20T12:00:00Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** Logs one execution through the public API, as a client would; returns its id. */
async function logExecution(target: TestProject, fields: Record<string, unknown>): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/executions',
    headers: target.auth,
    payload: { promptId: 'agent', status: 'success', source: { type: 'workflow' }, model: 'gpt-4o', ...fields },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id;
}

type SpanRow = typeof traceSpans.$inferInsert;
async function insertSpans(target: TestProject, traceId: string, spans: Omit<SpanRow, 'projectId' | 'traceId'>[]) {
  await handle.db.insert(traceSpans).values(spans.map((span) => ({ ...span, projectId: target.projectId, traceId })));
}

async function fetchTrace(traceId: string, options: Pick<InjectOptions, 'headers' | 'cookies'>, query = '') {
  return app.inject({ url: `/api/v1/traces/${encodeURIComponent(traceId)}${query}`, ...options });
}

async function readTrace(traceId: string, target = project): Promise<TraceView> {
  const response = await fetchTrace(traceId, { headers: target.auth });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

function nodeNamed(view: TraceView, name: string): TraceNode {
  const found = view.nodes.find((node) => node.name === name);
  if (!found) throw new Error(`no node ${name} in ${view.nodes.map((node) => node.name).join(', ')}`);
  return found;
}

function asExecution(node: TraceNode): TraceExecutionNode {
  if (node.kind !== 'execution') throw new Error(`${node.name} is a ${node.kind} step`);
  return node;
}

function asSpan(node: TraceNode): TraceSpanNode {
  if (node.kind === 'execution') throw new Error(`${node.name} is an execution`);
  return node;
}

const outline = (view: TraceView) => view.nodes.map((node) => [node.name, node.depth]);

/** An agent run logged through REST: a planner call whose steps name it as parent, one of them failing. */
async function logAgentRun(target: TestProject, traceId: string) {
  const planner = await logExecution(target, {
    promptId: 'planner',
    startedAt: at(0),
    latencyMs: 300,
    costUsd: '0.1',
    usage: { inputTokens: 100, outputTokens: 20 },
    trace: { traceId, spanId: 'plan' },
  });
  const lookup = await logExecution(target, {
    promptId: 'lookup',
    startedAt: at(400),
    endedAt: at(600),
    costUsd: '0.2',
    usage: { inputTokens: 50, outputTokens: 5 },
    trace: { traceId, parentId: 'plan', spanId: 'lookup', stepType: 'retrieval' },
  });
  const draft = await logExecution(target, {
    promptId: 'draft',
    status: 'error',
    model: 'house-model-without-a-price',
    startedAt: at(600),
    latencyMs: 1900,
    usage: { inputTokens: 7, outputTokens: 0 },
    error: { type: 'timeout', message: 'The provider did not answer' },
    trace: { traceId, parentId: 'plan', spanId: 'draft' },
  });
  const orphan = await logExecution(target, {
    promptId: 'notify',
    startedAt: at(700),
    latencyMs: 50,
    trace: { traceId, parentId: 'a-step-never-logged' },
  });
  return { planner, lookup, draft, orphan };
}

describe('GET /api/v1/traces/:traceId', () => {
  it('builds the tree from REST parentId → spanId links, with exact totals and where the run stopped', async () => {
    const traceId = `checkout-${uuidv7()}`;
    const ids = await logAgentRun(project, traceId);

    const view = await readTrace(traceId);

    expect(outline(view)).toEqual([
      ['planner · gpt-4o', 0],
      ['lookup · gpt-4o', 1],
      ['draft · house-model-without-a-price', 1],
      ['notify · gpt-4o', 0],
    ]);
    expect(view.nodes.map((node) => [node.id, node.parentId, node.offsetMs, node.durationMs])).toEqual([
      ['plan', null, 0, 300],
      ['lookup', 'plan', 400, 200],
      ['draft', 'plan', 600, 1900],
      // Its parent is not in the trace, so it is a root, known by its execution id.
      [ids.orphan, null, 700, 50],
    ]);
    expect(asExecution(nodeNamed(view, 'lookup · gpt-4o'))).toMatchObject({
      executionId: ids.lookup,
      promptId: 'lookup',
      costUsd: '0.2',
      costOrigin: 'provided',
      inputTokens: 50,
      stepType: 'retrieval',
      payloadHidden: false,
    });
    expect(asExecution(nodeNamed(view, 'draft · house-model-without-a-price'))).toMatchObject({
      status: 'error',
      errorType: 'timeout',
      costUsd: null,
      costOrigin: 'none',
    });
    expect(view).toMatchObject({
      traceId,
      startedAt: '2026-11-20T12:00:00.000000Z',
      endedAt: '2026-11-20T12:00:02.500000Z',
      durationMs: 2500,
      // 0.1 + 0.2 in decimal, not in floating point; the unpriced calls are counted, not guessed.
      totals: {
        executions: 4,
        spans: 0,
        errors: 1,
        costUsd: '0.3',
        unpricedExecutions: 2,
        inputTokens: 157,
        outputTokens: 25,
      },
      stoppedAt: 'draft',
      truncated: false,
      payloadHidden: false,
    });
  });

  it('ties OpenTelemetry-style steps and LLM calls into one tree by their hex span ids', async () => {
    const traceId = hex(16);
    const [agent, search, unknownKind] = [hex(8), hex(8), hex(8)];
    await insertSpans(project, traceId, [
      {
        spanId: agent,
        parentSpanId: null,
        name: 'support agent',
        kind: 'agent',
        serviceName: 'support-bot',
        startedAt: at(0),
        endedAt: at(1000),
        status: 'error',
        statusMessage: 'gave up',
      },
      {
        spanId: search,
        parentSpanId: agent,
        name: 'search orders',
        kind: 'tool',
        startedAt: at(250),
        endedAt: '2026-11-20T12:00:00.400500Z',
        status: 'error',
        statusMessage: 'order service returned 503',
        attributes: { 'tool.name': 'search_orders', 'input.value': '{"order":1042}' },
      },
      {
        spanId: unknownKind,
        parentSpanId: agent,
        name: 'custom step',
        kind: 'a-kind-we-do-not-know',
        startedAt: at(900),
        endedAt: null,
        status: 'unset',
      },
    ]);
    const llmSpan = hex(8);
    await logExecution(project, {
      promptId: 'agent-turn',
      startedAt: at(10),
      latencyMs: 200,
      trace: { traceId, spanId: llmSpan, parentId: agent },
    });
    await logExecution(project, {
      promptId: 'tool-result',
      startedAt: at(410),
      latencyMs: 90,
      trace: { traceId, parentId: search },
    });

    const view = await readTrace(traceId);

    expect(outline(view)).toEqual([
      ['support agent', 0],
      ['agent-turn · gpt-4o', 1],
      ['search orders', 1],
      ['tool-result · gpt-4o', 2],
      ['custom step', 1],
    ]);
    expect(nodeNamed(view, 'agent-turn · gpt-4o')).toMatchObject({ id: llmSpan, parentId: agent });
    expect(asSpan(nodeNamed(view, 'search orders'))).toMatchObject({
      kind: 'tool',
      status: 'error',
      offsetMs: 250,
      durationMs: 150.5,
      statusMessage: 'order service returned 503',
      attributes: { 'tool.name': 'search_orders', 'input.value': '{"order":1042}' },
      payloadHidden: false,
    });
    expect(asSpan(nodeNamed(view, 'custom step'))).toMatchObject({
      kind: 'other',
      status: 'unset',
      endedAt: null,
      durationMs: null,
    });
    expect(view.totals).toMatchObject({ executions: 2, spans: 3, errors: 2 });
    // The custom step started after the search failed, so the agent went on; the agent's own failure is the stop.
    expect(view.stoppedAt).toBe(agent);
    expect(view.durationMs).toBe(1000);
  });

  it('draws what the OpenTelemetry receiver stored: its steps and LLM calls in one tree', async () => {
    const traceId = newTraceId();
    const [agent, chat, tool] = [newSpanId(), newSpanId(), newSpanId()];
    const start = Date.parse('2026-11-20T10:00:00.000Z');
    const exported = await app.inject({
      method: 'POST',
      url: '/api/otel/v1/traces',
      headers: { ...project.auth, 'content-type': 'application/json' },
      payload: otlpJson([
        {
          traceId,
          spanId: agent,
          name: 'invoke_agent support',
          startMs: start,
          durationMs: 3000,
          attributes: { 'gen_ai.operation.name': 'invoke_agent' },
          status: { code: 2, message: 'the tool failed' },
        },
        {
          traceId,
          spanId: chat,
          parentSpanId: agent,
          name: 'chat gpt-4o-mini',
          startMs: start + 100,
          durationMs: 800,
          attributes: {
            'gen_ai.operation.name': 'chat',
            'gen_ai.request.model': 'gpt-4o-mini',
            'gen_ai.usage.input_tokens': 120,
            'gen_ai.usage.output_tokens': 30,
          },
        },
        {
          traceId,
          spanId: tool,
          parentSpanId: agent,
          name: 'search_orders',
          startMs: start + 1000,
          durationMs: 2000,
          attributes: { 'openinference.span.kind': 'TOOL', 'input.value': 'order 1042' },
          status: { code: 2, message: 'order service returned 503' },
        },
      ]),
    });
    expect(exported.statusCode, exported.body).toBe(200);

    const view = await readTrace(traceId);

    expect(view.nodes.map((node) => [node.kind, node.id, node.parentId, node.depth, node.offsetMs])).toEqual([
      ['agent', agent, null, 0, 0],
      ['execution', chat, agent, 1, 100],
      ['tool', tool, agent, 1, 1000],
    ]);
    expect(view.nodes[1]).toMatchObject({ model: 'gpt-4o-mini', inputTokens: 120, outputTokens: 30, durationMs: 800 });
    expect(asSpan(nodeNamed(view, 'search_orders'))).toMatchObject({
      status: 'error',
      statusMessage: 'order service returned 503',
      attributes: { 'input.value': 'order 1042' },
    });
    // The agent failed because its tool did, at the same moment: the tool is where the run stopped.
    expect(view.stoppedAt).toBe(tool);
    expect(view).toMatchObject({ durationMs: 3000, totals: { executions: 1, spans: 2, errors: 2 } });
  });

  it('keeps a node id to the first node that claims it, and gives a later execution its own id', async () => {
    const traceId = `dup-${uuidv7()}`;
    await logExecution(project, {
      promptId: 'first',
      startedAt: at(0),
      latencyMs: 10,
      trace: { traceId, spanId: 's' },
    });
    const second = await logExecution(project, {
      promptId: 'second',
      startedAt: at(20),
      latencyMs: 10,
      trace: { traceId, spanId: 's' },
    });
    await logExecution(project, {
      promptId: 'child',
      startedAt: at(40),
      latencyMs: 10,
      trace: { traceId, parentId: 's' },
    });

    const view = await readTrace(traceId);

    expect(view.nodes.map((node) => [node.name, node.id, node.parentId])).toEqual([
      ['first · gpt-4o', 's', null],
      ['child · gpt-4o', expect.any(String), 's'],
      ['second · gpt-4o', second, null],
    ]);
  });

  it('finds a trace whose id holds slashes, spaces and a hash', async () => {
    const traceId = `orders/1042 #retry-${uuidv7()}`;
    await logExecution(project, { startedAt: at(0), latencyMs: 5, trace: { traceId } });
    expect((await readTrace(traceId)).nodes).toHaveLength(1);
  });

  it('returns at most 2,000 nodes, the earliest, and says the trace was cut while totals count every node', async () => {
    const traceId = hex(16);
    const root = hex(8);
    await insertSpans(project, traceId, [
      { spanId: root, name: 'batch job', kind: 'workflow', startedAt: at(0), endedAt: at(10_000), status: 'ok' },
      ...Array.from({ length: 2004 }, (_, i) => ({
        spanId: `step-${String(i).padStart(4, '0')}`,
        parentSpanId: root,
        name: `item ${i}`,
        kind: 'task',
        startedAt: at(1 + i),
        endedAt: at(2 + i),
        status: 'ok' as const,
      })),
    ]);
    await logExecution(project, { startedAt: at(9_000), latencyMs: 100, trace: { traceId, parentId: root } });

    const view = await readTrace(traceId);

    expect(view.truncated).toBe(true);
    expect(view.nodes).toHaveLength(2000);
    expect(view.nodes[0]?.name).toBe('batch job');
    expect(view.nodes.at(-1)?.name).toBe('item 1998');
    expect(view.totals).toMatchObject({ spans: 2005, executions: 1 });
    expect(view.durationMs).toBe(10_000);
  });

  it('answers 404 saying so for a trace with no node in the project', async () => {
    const response = await fetchTrace('no-such-trace', { headers: project.auth });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.message).toBe('No trace no-such-trace in this project');
  });
});

describe('who sees what of a trace', () => {
  it('shows structure and numbers to every member, and step attributes only to readers of every prompt in it', async () => {
    const traceId = hex(16);
    const step = hex(8);
    await insertSpans(project, traceId, [
      {
        spanId: step,
        name: 'retrieve',
        kind: 'retriever',
        startedAt: at(0),
        endedAt: at(100),
        status: 'error',
        statusMessage: 'customer record of Ada Lovelace not found',
        attributes: { query: 'Ada Lovelace' },
      },
    ]);
    await logExecution(project, {
      promptId: 'granted',
      startedAt: at(10),
      latencyMs: 5,
      trace: { traceId, parentId: step },
    });
    await logExecution(project, {
      promptId: 'secret',
      startedAt: at(20),
      latencyMs: 5,
      trace: { traceId, parentId: step },
    });
    const viewer = await addTestMember(handle, project.projectId, 'viewer');
    const partlyGranted = await addTestMember(handle, project.projectId, 'viewer', ['granted']);
    const fullyGranted = await addTestMember(handle, project.projectId, 'viewer', ['granted', 'secret']);
    const editor = await addTestMember(handle, project.projectId, 'editor');

    const asUser = async (user: { email: string; password: string }) => {
      const session = await logIn(app, user.email, user.password);
      const response = await fetchTrace(traceId, { cookies: session.cookies });
      expect(response.statusCode, response.body).toBe(200);
      return { view: response.json() as TraceView, body: response.body };
    };

    for (const user of [viewer, partlyGranted]) {
      const { view, body } = await asUser(user);
      expect(view.payloadHidden).toBe(true);
      expect(view.totals).toMatchObject({ executions: 2, spans: 1, errors: 1 });
      const retrieve = asSpan(nodeNamed(view, 'retrieve'));
      expect(retrieve.payloadHidden).toBe(true);
      expect(retrieve).not.toHaveProperty('attributes');
      expect(retrieve).not.toHaveProperty('statusMessage');
      expect(body).not.toContain('Ada Lovelace');
    }
    const partial = (await asUser(partlyGranted)).view;
    expect(nodeNamed(partial, 'granted · gpt-4o').payloadHidden).toBe(false);
    expect(nodeNamed(partial, 'secret · gpt-4o').payloadHidden).toBe(true);

    for (const user of [fullyGranted, editor]) {
      const { view } = await asUser(user);
      expect(view.payloadHidden).toBe(false);
      expect(asSpan(nodeNamed(view, 'retrieve'))).toMatchObject({
        attributes: { query: 'Ada Lovelace' },
        statusMessage: 'customer record of Ada Lovelace not found',
      });
    }
  });

  it('hides the attributes of a trace without LLM calls from viewers, whatever they were granted', async () => {
    const traceId = hex(16);
    await insertSpans(project, traceId, [
      {
        spanId: hex(8),
        name: 'nightly sync',
        kind: 'workflow',
        startedAt: at(0),
        endedAt: at(5),
        status: 'ok',
        attributes: { rows: 12 },
      },
    ]);
    const viewer = await addTestMember(handle, project.projectId, 'viewer', ['granted']);
    const session = await logIn(app, viewer.email, viewer.password);
    const asViewer = (await fetchTrace(traceId, { cookies: session.cookies })).json() as TraceView;
    expect(asSpan(nodeNamed(asViewer, 'nightly sync'))).not.toHaveProperty('attributes');

    const readKey = (await createApiKey(handle.db, project.projectId, { label: 'read', scopes: ['read'] })).key;
    const asKey = (await fetchTrace(traceId, { headers: { authorization: `Bearer ${readKey}` } })).json() as TraceView;
    expect(asSpan(nodeNamed(asKey, 'nightly sync')).attributes).toEqual({ rows: 12 });
  });

  it('keeps each project to its own nodes: another project sees a 404 or only its own trace of the same id', async () => {
    const traceId = `shared-id-${uuidv7()}`;
    await logExecution(project, { promptId: 'ours', startedAt: at(0), latencyMs: 5, trace: { traceId } });
    const stranger = await createTestProject(handle);

    const response = await fetchTrace(traceId, { headers: stranger.auth });
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain('ours');

    await logExecution(stranger, { promptId: 'theirs', startedAt: at(0), latencyMs: 5, trace: { traceId } });
    expect(outline(await readTrace(traceId, stranger))).toEqual([['theirs · gpt-4o', 0]]);
    expect(outline(await readTrace(traceId))).toEqual([['ours · gpt-4o', 0]]);
  });

  it('refuses a key without the read scope with 403 before looking anything up', async () => {
    const traceId = `ingest-${uuidv7()}`;
    await logExecution(project, { startedAt: at(0), latencyMs: 5, trace: { traceId } });
    const ingestKey = (await createApiKey(handle.db, project.projectId, { label: 'ingest', scopes: ['ingest'] })).key;
    for (const id of [traceId, 'no-such-trace']) {
      const response = await fetchTrace(id, { headers: { authorization: `Bearer ${ingestKey}` } });
      expect(response.statusCode).toBe(403);
      expect(response.json().error.message).toContain('read scope');
    }
  });

  it('asks a user in several projects which one, and answers for the one named', async () => {
    const traceId = `several-${uuidv7()}`;
    await logExecution(project, { startedAt: at(0), latencyMs: 5, trace: { traceId } });
    const second = await createTestProject(handle);
    const session = await logIn(app, project.email, project.password);
    await handle.db
      .insert(projectMembers)
      .values({ projectId: second.projectId, userId: session.userId, role: 'viewer' });

    const unnamed = await fetchTrace(traceId, { cookies: session.cookies });
    expect(unnamed.statusCode).toBe(400);
    const named = await fetchTrace(traceId, { cookies: session.cookies }, `?projectId=${project.projectId}`);
    expect(named.statusCode).toBe(200);
    const elsewhere = await fetchTrace(traceId, { cookies: session.cookies }, `?projectId=${second.projectId}`);
    expect(elsewhere.statusCode).toBe(404);
  });
});
