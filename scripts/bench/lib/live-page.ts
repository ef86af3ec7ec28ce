import { JOB_EVENT_TYPES } from '@/lib/jobs/schemas';

/** What the page reports for every server-sent event it receives. */
export interface PageEvent {
  /** `eventsource` for EventSource streams, `fetch` for the streaming-fetch reader. */
  source: 'eventsource' | 'fetch';
  id: number;
  type: string;
  /** `performance.timeOrigin + performance.now()` in the page when the event was dispatched (ms since epoch). */
  at: number;
  /** The event's `createdAt` (the server's clock when the change was written). */
  createdAt: string | null;
}

export interface FetchStreamResult {
  status: number;
  events: PageEvent[];
  timedOut: boolean;
}

/**
 * Installed in the page as plain JavaScript (a string, so no compiler helper leaks into the browser):
 * - `__benchOpen(url)` opens an EventSource with a listener per job event type and resolves once it is open
 *   (rejects when the server refuses it); every event goes to `__benchEvent` (exposed by the benchmark);
 * - `__benchClose()` closes it;
 * - `__benchFetch(url, lastEventId, untilId, timeoutMs)` reads the stream with `fetch` and a body reader,
 *   sending `Last-Event-ID` itself (EventSource cannot set headers), until an event with id ≥ `untilId`.
 */
export const PAGE_SCRIPT = `(() => {
  const TYPES = ${JSON.stringify(JOB_EVENT_TYPES)};
  const now = () => performance.timeOrigin + performance.now();
  const createdAtOf = (data) => {
    try { return JSON.parse(data).createdAt ?? null; } catch { return null; }
  };
  const report = (source, id, type, data, at) =>
    window.__benchEvent({ source, id, type, at, createdAt: createdAtOf(data) });
  window.__benchErrors = 0;
  window.__benchOpen = (url) => new Promise((resolve, reject) => {
    const source = new EventSource(url);
    window.__benchSource = source;
    const onEvent = (event) => report('eventsource', Number(event.lastEventId), event.type, event.data, now());
    for (const type of TYPES) source.addEventListener(type, onEvent);
    source.addEventListener('message', onEvent);
    source.onopen = () => resolve(true);
    source.onerror = () => {
      window.__benchErrors++;
      if (source.readyState === EventSource.CLOSED) reject(new Error('the stream was refused or closed'));
    };
  });
  window.__benchClose = () => {
    if (window.__benchSource) window.__benchSource.close();
    window.__benchSource = null;
  };
  window.__benchFetch = async (url, lastEventId, untilId, timeoutMs) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const events = [];
    let status = 0;
    try {
      const response = await fetch(url, {
        headers: { 'Last-Event-ID': String(lastEventId), Accept: 'text/event-stream' },
        signal: controller.signal,
      });
      status = response.status;
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf('\\n\\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let id = NaN;
          let type = 'message';
          let data = '';
          for (const line of block.split('\\n')) {
            const colon = line.indexOf(':');
            if (colon <= 0) continue;
            const field = line.slice(0, colon);
            const value = line.slice(colon + 1).replace(/^ /, '');
            if (field === 'id') id = Number(value);
            else if (field === 'event') type = value;
            else if (field === 'data') data += value;
          }
          if (Number.isNaN(id)) continue;
          const event = { source: 'fetch', id, type, at: now(), createdAt: createdAtOf(data) };
          events.push(event);
          window.__benchEvent(event);
          if (id >= untilId) {
            controller.abort();
            return { status, events, timedOut: false };
          }
        }
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    } finally {
      clearTimeout(timer);
    }
    return { status, events, timedOut: true };
  };
})();`;
