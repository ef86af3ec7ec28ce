import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { provideServiceContext } from '@/lib/api/context';
import { ManualClock } from '@/lib/clock';
import type { DatabaseHandle } from '@/lib/db/client';
import { GET as streamRoute } from '@/app/api/v1/jobs/[id]/stream/route';
import { appendJobEvent } from '@/lib/jobs/events';
import { createApiKey } from '@/lib/auth/api-keys';
import { call, useTestServices } from '@/lib/testing/api-harness';
import { createCustomer, launch } from '@/lib/testing/orchestration-fixture';
import { sseMessages } from '@/lib/testing/sse';
import { createPgliteTestDb } from '@/lib/testing/test-db';
import { DRAIN_RETRY_MS } from '@/lib/jobs/live';
import { beginDrain, resetLifecycleForTests } from '@/lib/server/lifecycle';

interface Received {
  id: number;
  type: string;
}

/** Reads SSE messages from a response body until `count` arrived. */
async function readEvents(response: Response, count: number): Promise<Received[]> {
  const events: Received[] = [];
  for await (const message of sseMessages(response.body!)) {
    if (message.id !== null && message.event) events.push({ id: message.id, type: message.event });
    if (events.length >= count) break;
  }
  return events;
}

describe('live job events over SSE', () => {
  let handle: DatabaseHandle;
  const clock = new ManualClock('2026-11-25T10:00:00Z');

  beforeEach(async () => {
    handle = await createPgliteTestDb();
    useTestServices({ db: handle.db, clock, chain: null });
  });
  afterEach(() => handle.close());
  afterAll(() => provideServiceContext(null));

  it('sends the backlog, then new events as they commit, and resumes after Last-Event-ID', async () => {
    const customer = await createCustomer(handle.db, clock, 50n);
    const { key } = await createApiKey(handle.db, clock, customer, 'live');
    const job = await launch(handle.db, clock, customer);
    const open = (headers: Record<string, string> = {}) =>
      call(streamRoute, `/api/v1/jobs/${job.id}/stream`, {
        bearer: key,
        params: { id: job.id },
        headers,
      });

    const first = await open();
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toContain('text/event-stream');
    const reading = readEvents(first, 3);
    // Written after the stream opened: they arrive through the shared event table.
    await appendJobEvent(handle.db, clock.now(), {
      jobId: job.id,
      type: 'progress',
      data: { progressUnits: 1 },
    });
    await appendJobEvent(handle.db, clock.now(), {
      jobId: job.id,
      type: 'progress',
      data: { progressUnits: 2 },
    });
    const received = await reading;
    expect(received.map((e) => e.type)).toEqual(['queued', 'progress', 'progress']);
    expect(received.map((e) => e.id)).toEqual([...received.map((e) => e.id)].sort((a, b) => a - b));

    // A reconnect names the last id it saw: only later events come, none twice, none missing.
    const lastSeen = received[1]!.id;
    await appendJobEvent(handle.db, clock.now(), { jobId: job.id, type: 'log', data: { lines: [] } });
    const resumed = await readEvents(await open({ 'last-event-id': String(lastSeen) }), 2);
    expect(resumed.map((e) => e.id)).toEqual([received[2]!.id, received[2]!.id + 1]);
    expect(resumed.map((e) => e.type)).toEqual(['progress', 'log']);
  });

  it('ends the stream with a reconnect hint when the instance drains, and a reconnect misses nothing', async () => {
    const customer = await createCustomer(handle.db, clock, 50n);
    const { key } = await createApiKey(handle.db, clock, customer, 'live');
    const job = await launch(handle.db, clock, customer);
    const response = await call(streamRoute, `/api/v1/jobs/${job.id}/stream`, {
      bearer: key,
      params: { id: job.id },
    });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!text.includes('event: queued')) text += (await reader.read()).value ?? '';
    try {
      await beginDrain({ error: () => {} });
      // The stream ends on its own (no cancel from us) after asking for a quick reconnect.
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += value;
      }
      expect(text).toContain(`retry: ${DRAIN_RETRY_MS}\n`);
      const lastId = Number([...text.matchAll(/^id: (\d+)$/gm)].at(-1)![1]);
      // Written while the client was away: the reconnect (to any instance) with Last-Event-ID gets it.
      await appendJobEvent(handle.db, clock.now(), { jobId: job.id, type: 'log', data: { lines: [] } });
      resetLifecycleForTests();
      const resumed = await readEvents(
        await call(streamRoute, `/api/v1/jobs/${job.id}/stream`, {
          bearer: key,
          params: { id: job.id },
          headers: { 'last-event-id': String(lastId) },
        }),
        1,
      );
      expect(resumed).toEqual([{ id: lastId + 1, type: 'log' }]);
    } finally {
      resetLifecycleForTests();
    }
  });

  it('answers 404 for another account’s job and 401 without credentials', async () => {
    const owner = await createCustomer(handle.db, clock, 50n);
    const stranger = await createCustomer(handle.db, clock, 1n);
    const { key } = await createApiKey(handle.db, clock, stranger, 'live');
    const job = await launch(handle.db, clock, owner);
    const foreign = await call(streamRoute, `/api/v1/jobs/${job.id}/stream`, {
      bearer: key,
      params: { id: job.id },
    });
    expect(foreign.status).toBe(404);
    const anonymous = await call(streamRoute, `/api/v1/jobs/${job.id}/stream`, { params: { id: job.id } });
    expect(anonymous.status).toBe(401);
  });
});
