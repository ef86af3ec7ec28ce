import { gt, sql } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { jobEvents } from '@/lib/db/schema';
import type { JobEventView } from '@/lib/jobs/schemas';
import { listJobEvents } from '@/lib/jobs/views';
import { onDrain } from '@/lib/server/lifecycle';

/** How often the shared event table is checked for new events (the live path's latency floor). */
export const LIVE_POLL_MS = 200;
/** A comment line this often keeps proxies from closing an idle stream. */
export const KEEP_ALIVE_MS = 15_000;
/** Even without a wake-up, each stream re-reads its job this often (belt and braces). */
const FALLBACK_MS = 5_000;
/** The reconnect delay a stream ended by a shutdown asks for: soon, and on whichever instance answers. */
export const DRAIN_RETRY_MS = 250;

type Wake = () => void;

/**
 * Fans new job events out to the open streams of this process. It reads the job-event table — the one every
 * server instance writes to — so a change made by any instance reaches streams on all of them. One cheap
 * query per tick, whatever the number of streams: it only learns which jobs have news; each stream then
 * reads its own job's events after the last id it sent, so nothing is skipped or repeated.
 */
class EventFanout {
  private readonly watchers = new Map<string, Set<Wake>>();
  private cursor: number | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private polling = false;

  constructor(private readonly db: Db) {}

  watch(jobId: string, wake: Wake): () => void {
    let set = this.watchers.get(jobId);
    if (!set) this.watchers.set(jobId, (set = new Set()));
    set.add(wake);
    if (!this.timer) {
      this.timer = setInterval(() => void this.poll(), LIVE_POLL_MS);
      this.timer.unref?.();
    }
    return () => {
      set.delete(wake);
      if (set.size === 0) this.watchers.delete(jobId);
      if (this.watchers.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
        this.cursor = null;
      }
    };
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      if (this.cursor === null) {
        const [row] = await this.db
          .select({ id: sql<string>`coalesce(max(${jobEvents.id}), 0)` })
          .from(jobEvents);
        this.cursor = Number(row?.id ?? 0);
        // Streams opened before the cursor existed read their own backlog, so wake them all once.
        for (const set of this.watchers.values()) for (const wake of set) wake();
        return;
      }
      const rows = await this.db
        .select({ jobId: jobEvents.jobId, last: sql<string>`max(${jobEvents.id})` })
        .from(jobEvents)
        .where(gt(jobEvents.id, this.cursor))
        .groupBy(jobEvents.jobId);
      for (const row of rows) {
        this.cursor = Math.max(this.cursor, Number(row.last));
        for (const wake of this.watchers.get(row.jobId) ?? []) wake();
      }
    } catch (error) {
      console.error('[live] polling job events failed', error);
    } finally {
      this.polling = false;
    }
  }
}

const fanouts = new WeakMap<Db, EventFanout>();

function fanoutFor(db: Db): EventFanout {
  let fanout = fanouts.get(db);
  if (!fanout) fanouts.set(db, (fanout = new EventFanout(db)));
  return fanout;
}

function format(event: JobEventView): string {
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/**
 * A Server-Sent Events response with the job's events after `afterId` (from `Last-Event-ID` on reconnect),
 * then every new one as it is committed. Closes when the client goes away.
 */
export function jobEventStream(db: Db, jobId: string, afterId: number, signal: AbortSignal): Response {
  const encoder = new TextEncoder();
  let lastSent = afterId;
  let stop = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let reading = false;
      let again = false;
      let closed = false;
      const send = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text));
      };
      const drain = async () => {
        if (reading) {
          again = true;
          return;
        }
        reading = true;
        try {
          do {
            again = false;
            for (;;) {
              const page = await listJobEvents(db, jobId, { after: lastSent, limit: 500 });
              for (const event of page.items) send(format(event));
              lastSent = page.lastId;
              if (page.items.length < 500) break;
            }
          } while (again && !closed);
        } catch (error) {
          console.error('[live] reading job events failed', error);
        } finally {
          reading = false;
        }
      };
      const unwatch = fanoutFor(db).watch(jobId, () => void drain());
      const keepAlive = setInterval(() => send(': keep-alive\n\n'), KEEP_ALIVE_MS);
      const fallback = setInterval(() => void drain(), FALLBACK_MS);
      keepAlive.unref?.();
      fallback.unref?.();
      // On SIGTERM the stream ends with a short reconnect delay: the client's EventSource reconnects (through the
      // load balancer, to another instance) with Last-Event-ID and misses nothing.
      const unregisterDrain = onDrain(() => {
        send(`retry: ${DRAIN_RETRY_MS}\n: this instance is shutting down; reconnect\n\n`);
        stop();
      });
      stop = () => {
        if (closed) return;
        closed = true;
        unregisterDrain();
        unwatch();
        clearInterval(keepAlive);
        clearInterval(fallback);
        try {
          controller.close();
        } catch {
          // Already closed by the runtime.
        }
      };
      signal.addEventListener('abort', stop);
      send('retry: 2000\n\n');
      void drain();
    },
    cancel() {
      stop();
    },
  });
  return new Response(stream, {
    headers: {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    },
  });
}
