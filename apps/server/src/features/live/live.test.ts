import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestProject, openTestDatabase } from '../../test/harness';

// Two app instances with their own database connections stand in for two server processes.
let handles: DatabaseHandle[];
let writer: FastifyInstance;
let reader: FastifyInstance;
let readerUrl: string;

beforeAll(async () => {
  handles = [await openTestDatabase()];
  handles.push(process.env.TEST_DATABASE_URL ? await openTestDatabase() : (handles[0] as DatabaseHandle));
  writer = await createTestApp(handles[0] as DatabaseHandle);
  reader = await createTestApp(handles[1] as DatabaseHandle);
  readerUrl = await reader.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await writer.close();
  await reader.close();
  for (const handle of new Set(handles)) await handle.close();
});

/** Reads server-sent events until `count` execution events arrived (or the time runs out). */
async function collectEvents(response: Response, count: number, timeoutMs = 5000) {
  const reader = response.body?.getReader();
  if (!reader) throw new Error('no event stream');
  const decoder = new TextDecoder();
  const events: unknown[] = [];
  let buffered = '';
  const deadline = Date.now() + timeoutMs;
  while (events.length < count && Date.now() < deadline) {
    const chunk = await Promise.race([
      reader.read(),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), deadline - Date.now())),
    ]);
    if (!chunk || chunk.done) break;
    buffered += decoder.decode(chunk.value, { stream: true });
    const messages = buffered.split('\n\n');
    buffered = messages.pop() ?? '';
    for (const message of messages) {
      const data = message.split('\n').find((line) => line.startsWith('data: '));
      if (message.includes('event: execution') && data) events.push(JSON.parse(data.slice(6)));
    }
  }
  await reader.cancel();
  return events;
}

describe('GET /api/v1/executions/events', () => {
  it('streams executions stored and completed through another server process, for the subscribed prompt only', async () => {
    const project = await createTestProject(handles[0] as DatabaseHandle);
    const stream = await fetch(`${readerUrl}/api/v1/executions/events?promptId=watched`, { headers: project.auth });
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const received = collectEvents(stream, 3);

    const post = (promptId: string, status: string) =>
      writer.inject({
        method: 'POST',
        url: '/api/v1/executions',
        headers: project.auth,
        payload: { promptId, status, source: { type: 'workflow' }, model: 'gpt-4o' },
      });
    const pending = (await post('watched', 'pending')).json().id;
    await post('ignored', 'success');
    await writer.inject({
      method: 'POST',
      url: '/api/v1/executions/batch',
      headers: project.auth,
      payload: { executions: [{ promptId: 'watched', status: 'error', source: { type: 'api' }, model: 'gpt-4o' }] },
    });
    await writer.inject({
      method: 'PATCH',
      url: `/api/v1/executions/${pending}`,
      headers: project.auth,
      payload: { status: 'success', output: 'done' },
    });

    const events = (await received) as { type: string; id: string; promptId: string; status: string }[];
    expect(events.map((e) => [e.type, e.promptId, e.status])).toEqual([
      ['created', 'watched', 'pending'],
      ['created', 'watched', 'error'],
      ['completed', 'watched', 'success'],
    ]);
    expect(events[0]?.id).toBe(pending);
    expect(events[1]).toMatchObject({ source: 'api', version: null, model: 'gpt-4o', tags: [] });
    expect(events[2]).toMatchObject({ source: 'workflow', model: 'gpt-4o' });
    expect(events[0]).not.toHaveProperty('projectId');
  });

  it('refuses a stream without credentials', async () => {
    const response = await fetch(`${readerUrl}/api/v1/executions/events`);
    expect(response.status).toBe(401);
  });
});
