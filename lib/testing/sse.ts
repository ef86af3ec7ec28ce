/** The fields of one server-sent event message that the tests look at. */
export interface SseMessage {
  id: number | null;
  event: string | null;
  retry: number | null;
}

function parseMessage(block: string): SseMessage {
  const field = (name: string) => new RegExp(`^${name}: (.*)$`, 'm').exec(block)?.[1] ?? null;
  const id = field('id');
  const retry = field('retry');
  return {
    id: id !== null && /^\d+$/.test(id) ? Number(id) : null,
    event: field('event'),
    retry: retry !== null && /^\d+$/.test(retry) ? Number(retry) : null,
  };
}

/**
 * The messages of an event stream as they arrive (a blank line ends each). Leaving the loop early, or the
 * stream ending, cancels the reader.
 */
export async function* sseMessages(body: ReadableStream<BufferSource>): AsyncGenerator<SseMessage> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        yield parseMessage(block);
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
