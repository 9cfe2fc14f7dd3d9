import type { DatabaseHandle } from '@promptlog/db';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTestMember, createTestApp, createTestProject, logBatch, logIn, openTestDatabase } from '../../test/harness';
import {
  type ExecutionEvent,
  ExecutionEventBus,
  type ExecutionEventBusOptions,
  type LiveMessage,
} from './execution-events';

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
  await writer?.close();
  await reader?.close();
  for (const handle of new Set(handles)) await handle?.close();
});

type Message = { id: string; event: string; data: unknown };

/**
 * Reads a server-sent event stream as EventSource does: each message with data is kept with the event's name and
 * the id in force, and `lastEventId` is what a browser would send as Last-Event-ID on reconnecting.
 */
async function openStream(path: string, headers: Record<string, string>) {
  const response = await fetch(`${readerUrl}${path}`, { headers });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  const body = response.body?.getReader();
  if (!body) throw new Error('no event stream');
  const decoder = new TextDecoder();
  const received: Message[] = [];
  let buffered = '';
  const stream = {
    lastEventId: '',
    /** The next `count` messages, or fewer when the time runs out. */
    async take(count: number, timeoutMs = 5000): Promise<Message[]> {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count && Date.now() < deadline) {
        const chunk = await Promise.race([
          body.read(),
          new Promise<null>((resolve) => setTimeout(() => resolve(null), deadline - Date.now())),
        ]);
        if (!chunk || chunk.done) break;
        buffered += decoder.decode(chunk.value, { stream: true });
        const blocks = buffered.split('\n\n');
        buffered = blocks.pop() ?? '';
        for (const block of blocks) {
          const fields = block.split('\n');
          const field = (name: string) => fields.find((line) => line.startsWith(`${name}: `))?.slice(name.length + 2);
          stream.lastEventId = field('id') ?? stream.lastEventId;
          const data = field('data');
          if (data !== undefined) {
            received.push({ id: stream.lastEventId, event: field('event') ?? 'message', data: JSON.parse(data) });
          }
        }
      }
      return received.splice(0, count);
    },
    close: () => body.cancel(),
  };
  return stream;
}

const sequenceOf = (id: string) => Number(id.slice(id.lastIndexOf('-') + 1));
const bootOf = (id: string) => id.slice(0, id.lastIndexOf('-'));

async function post(auth: Record<string, string>, promptId: string, status = 'success'): Promise<string> {
  const response = await writer.inject({
    method: 'POST',
    url: '/api/v1/executions',
    headers: auth,
    payload: { promptId, status, source: { type: 'workflow' }, model: 'gpt-4o' },
  });
  expect(response.statusCode).toBe(201);
  return response.json().id;
}

describe('GET /api/v1/executions/events', () => {
  it('streams executions stored and completed through another server process, for the subscribed prompt only', async () => {
    const project = await createTestProject(handles[0] as DatabaseHandle);
    const stream = await openStream('/api/v1/executions/events?promptId=watched', project.auth);

    const pending = await post(project.auth, 'watched', 'pending');
    await post(project.auth, 'ignored');
    await writer.inject({
      method: 'POST',
      url: '/api/v1/executions/batch',
      headers: project.auth,
      payload: {
        executions: [
          { promptId: 'watched', status: 'error', source: { type: 'api' }, model: 'gpt-4o', conversationId: 'chat-7' },
        ],
      },
    });
    await writer.inject({
      method: 'PATCH',
      url: `/api/v1/executions/${pending}`,
      headers: project.auth,
      payload: { status: 'success', output: 'done' },
    });

    const messages = await stream.take(3);
    await stream.close();
    expect(messages.map((m) => m.event)).toEqual(['execution', 'execution', 'execution']);
    const events = messages.map((m) => m.data) as { type: string; id: string; promptId: string; status: string }[];
    expect(events.map((e) => [e.type, e.promptId, e.status])).toEqual([
      ['created', 'watched', 'pending'],
      ['created', 'watched', 'error'],
      ['completed', 'watched', 'success'],
    ]);
    expect(events[0]?.id).toBe(pending);
    expect(events[1]).toMatchObject({
      source: 'api',
      version: null,
      model: 'gpt-4o',
      tags: [],
      conversationId: 'chat-7',
    });
    expect(events[0]).toMatchObject({ conversationId: null });
    expect(events[2]).toMatchObject({ source: 'workflow', model: 'gpt-4o' });
    expect(events[0]).not.toHaveProperty('projectId');
    const ids = messages.map((m) => m.id);
    expect(new Set(ids.map(bootOf)).size).toBe(1);
    expect(ids.map(sequenceOf)).toEqual([...ids.map(sequenceOf)].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(3);
  });

  it('tells a viewer the tags and conversation of calls only for prompts whose logs they were granted', async () => {
    const project = await createTestProject(handles[0] as DatabaseHandle);
    const viewer = await addTestMember(handles[0] as DatabaseHandle, project.projectId, 'viewer', ['granted']);
    const session = await logIn(reader, viewer.email, viewer.password);
    const stream = await openStream(`/api/v1/executions/events?projectId=${project.projectId}`, {
      cookie: `promptlog_session=${session.cookies.promptlog_session}`,
    });
    const call = { status: 'success', source: { type: 'chat' }, model: 'gpt-4o', tags: ['vip'], conversationId: 'c-1' };
    await logBatch(writer, project, [
      { ...call, promptId: 'granted' },
      { ...call, promptId: 'not-granted' },
    ]);

    const events = (await stream.take(2)).map((m) => m.data as Record<string, unknown>);
    await stream.close();
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ promptId: 'granted', status: 'success', tags: ['vip'], conversationId: 'c-1' });
    expect(events[1]).toMatchObject({ promptId: 'not-granted', status: 'success', model: 'gpt-4o' });
    expect(events[1]).not.toHaveProperty('tags');
    expect(events[1]).not.toHaveProperty('conversationId');
  });

  it('sends a stream reconnecting with Last-Event-ID the events of its prompt it missed, in order, then live ones', async () => {
    const project = await createTestProject(handles[0] as DatabaseHandle);
    const first = await openStream('/api/v1/executions/events?promptId=watched', project.auth);
    const seen = await post(project.auth, 'watched', 'pending');
    const [before] = await first.take(1);
    expect(before).toMatchObject({ event: 'execution', data: { id: seen } });
    await first.close();

    // While disconnected; a stream for the whole project shows when all of it has reached the reader.
    const witness = await openStream('/api/v1/executions/events', project.auth);
    const missed = await post(project.auth, 'watched');
    await post(project.auth, 'ignored');
    await writer.inject({
      method: 'PATCH',
      url: `/api/v1/executions/${seen}`,
      headers: project.auth,
      payload: { status: 'success', output: 'done' },
    });
    const alsoMissed = await post(project.auth, 'watched', 'error');
    expect(await witness.take(4)).toHaveLength(4);
    await witness.close();

    const again = await openStream('/api/v1/executions/events?promptId=watched', {
      ...project.auth,
      'last-event-id': first.lastEventId,
    });
    const replayed = await again.take(3);
    const live = await post(project.auth, 'watched');
    const [next] = await again.take(1);
    await again.close();

    const messages = [...replayed, ...(next ? [next] : [])];
    expect(messages.map((m) => [m.event, m.data])).toEqual([
      ['execution', expect.objectContaining({ type: 'created', id: missed })],
      ['execution', expect.objectContaining({ type: 'completed', id: seen, status: 'success' })],
      ['execution', expect.objectContaining({ type: 'created', id: alsoMissed, status: 'error' })],
      ['execution', expect.objectContaining({ type: 'created', id: live })],
    ]);
    const sequences = [first.lastEventId, ...messages.map((m) => m.id)].map(sequenceOf);
    expect(sequences).toEqual([...new Set(sequences)].sort((a, b) => a - b));
    expect(messages.every((m) => bootOf(m.id) === bootOf(first.lastEventId))).toBe(true);
  });

  it('tells a stream to resync when its Last-Event-ID cannot be honoured, and a fresh one never', async () => {
    const project = await createTestProject(handles[0] as DatabaseHandle);
    const current = reader.executionEvents.lastEventId;
    const unknownIds = [
      '0123456789abcdef-1', // another process, or this one before a restart
      `${bootOf(current)}-${sequenceOf(current) + 1_000_000}`,
      'not-an-id',
    ];
    const url = '/api/v1/executions/events?promptId=watched';
    const resumed = await Promise.all(
      unknownIds.map((id) => openStream(url, { ...project.auth, 'last-event-id': id })),
    );
    const fresh = await openStream(url, project.auth);

    const created = await post(project.auth, 'watched');
    for (const stream of resumed) {
      const messages = await stream.take(2);
      await stream.close();
      expect(messages.map((m) => [m.event, m.data])).toEqual([
        ['resync', { reason: 'unknown-id' }],
        ['execution', expect.objectContaining({ id: created })],
      ]);
      expect(bootOf(messages[0]?.id ?? '')).toBe(bootOf(current));
    }
    const [only] = await fresh.take(1);
    await fresh.close();
    expect(only).toMatchObject({ event: 'execution', data: { id: created } });
  });

  it('refuses a stream without credentials', async () => {
    const response = await fetch(`${readerUrl}/api/v1/executions/events`);
    expect(response.status).toBe(401);
  });
});

/** A notification channel in memory: what is sent reaches every listener at once, or the send fails when told to. */
function memoryChannel() {
  const listeners = new Set<(payload: string) => void>();
  const channel = {
    failNext: false,
    listen: async (_channel: string, onNotify: (payload: string) => void) => {
      listeners.add(onNotify);
      return async () => {
        listeners.delete(onNotify);
      };
    },
    query: async <Row>(_text: string, params?: unknown[]): Promise<Row[]> => {
      if (channel.failNext) {
        channel.failNext = false;
        throw new Error('connection terminated');
      }
      for (const listener of listeners) listener(String(params?.[1]));
      return [];
    },
  };
  return channel;
}

function event(promptId: string, id: string): ExecutionEvent {
  return {
    type: 'created',
    projectId: 'project',
    id,
    promptId,
    status: 'success',
    source: 'api',
    version: null,
    model: 'gpt-4o',
    tags: [],
    conversationId: null,
  };
}

describe('ExecutionEventBus', () => {
  async function startBus(options: ExecutionEventBusOptions = {}) {
    const channel = memoryChannel();
    const errors: unknown[] = [];
    const bus = new ExecutionEventBus(channel, (error) => errors.push(error), {
      flushIntervalMs: 3_600_000,
      ...options,
    });
    await bus.start();
    const send = async (...events: ExecutionEvent[]) => {
      bus.publish(events);
      await bus.flush();
    };
    /** What a stream resuming from `lastEventId` is sent first: the replayed events' ids, or the resync. */
    const resume = (lastEventId: string, promptId?: string) => {
      const messages: LiveMessage[] = [];
      bus.subscribe({ projectId: 'project', promptId }, (message) => messages.push(message), lastEventId)();
      return messages.map((m) => (m.event === 'resync' ? JSON.parse(m.data) : JSON.parse(m.data).id));
    };
    return { bus, channel, errors, send, resume };
  }

  it('replays from its buffer while an id is within the bounds of count and age, and asks older ids to resync', async () => {
    let now = 0;
    const { bus, send, resume } = await startBus({ replay: { maxEvents: 3, maxAgeMs: 60_000 }, now: () => now });
    const ids: string[] = [];
    for (const id of ['a', 'b', 'c', 'd', 'e']) {
      await send(event(id === 'c' ? 'other' : 'watched', id));
      ids.push(bus.lastEventId);
    }
    expect(resume(ids[1] as string)).toEqual(['c', 'd', 'e']);
    expect(resume(ids[1] as string, 'watched')).toEqual(['d', 'e']);
    expect(resume(ids[0] as string)).toEqual([{ reason: 'expired' }]);
    expect(resume(ids[4] as string)).toEqual([]);

    now = 60_001;
    expect(resume(ids[3] as string)).toEqual([{ reason: 'expired' }]);
    expect(resume(ids[4] as string)).toEqual([]);
    await bus.stop();
  });

  it('keeps no more than its byte bound', async () => {
    const { bus, send, resume } = await startBus({ replay: { maxBytes: 500 } });
    const start = bus.lastEventId;
    for (let i = 0; i < 10; i += 1) await send(event('watched', `event-${i}`));
    expect(resume(start)).toEqual([{ reason: 'expired' }]);
    const replayed = resume(`${start.slice(0, start.lastIndexOf('-'))}-7`);
    expect(replayed).toEqual(['event-7', 'event-8', 'event-9']);
    await bus.stop();
  });

  it('tells every subscriber to resync when its LISTEN connection is back, and replays nothing from before', async () => {
    const { bus, send, resume } = await startBus();
    await send(event('watched', 'a'));
    const beforeGap = bus.lastEventId;
    const messages: LiveMessage[] = [];
    bus.subscribe({ projectId: 'project', promptId: 'watched' }, (message) => messages.push(message));

    bus.listenResumed();
    await send(event('watched', 'b'));
    expect(messages.map((m) => [m.event, JSON.parse(m.data)])).toEqual([
      ['resync', { reason: 'interrupted' }],
      ['execution', expect.objectContaining({ id: 'b' })],
    ]);
    expect(resume(beforeGap)).toEqual([{ reason: 'expired' }]);
    expect(resume(messages[0]?.id ?? '')).toEqual(['b']);
    await bus.stop();
  });

  it('sends the events of a failed notify with the next flush, in order', async () => {
    const { bus, channel, errors, send } = await startBus();
    const received: string[] = [];
    bus.subscribe({ projectId: 'project' }, (message) => received.push(JSON.parse(message.data).id));
    channel.failNext = true;
    await send(event('watched', 'a'), event('watched', 'b'));
    expect(received).toEqual([]);
    expect(errors).toHaveLength(1);
    await send(event('watched', 'c'));
    expect(received).toEqual(['a', 'b', 'c']);
    await bus.stop();
  });
});
