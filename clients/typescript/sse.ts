/** One Server-Sent Events message: its `id`, `event` type and `data` (data lines joined by newlines). */
export interface SseMessage {
  id: string | null;
  event: string;
  data: string;
}

/**
 * An incremental Server-Sent Events parser (the WHATWG event-stream format): feed it text as it arrives, in
 * chunks cut anywhere, and it returns the messages completed so far. Comments (`:` lines) are skipped, `retry:`
 * sets `retryMs`, and a message without data is dropped, as EventSource does.
 */
export class SseParser {
  retryMs: number | null = null;
  private buffer = '';
  private id: string | null = null;
  private event = '';
  private data: string[] = [];

  push(text: string): SseMessage[] {
    this.buffer += text;
    const messages: SseMessage[] = [];
    for (;;) {
      const end = this.buffer.search(/\r\n|\r|\n/);
      // A lone \r at the end may be the first half of \r\n: wait for the next chunk.
      if (end < 0 || (end === this.buffer.length - 1 && this.buffer[end] === '\r')) break;
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + (this.buffer.startsWith('\r\n', end) ? 2 : 1));
      const message = this.line(line);
      if (message) messages.push(message);
    }
    return messages;
  }

  private line(line: string): SseMessage | null {
    if (line === '') {
      const message = this.data.length
        ? { id: this.id, event: this.event || 'message', data: this.data.join('\n') }
        : null;
      this.event = '';
      this.data = [];
      return message;
    }
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + (line[colon + 1] === ' ' ? 2 : 1));
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
    return null;
  }
}
