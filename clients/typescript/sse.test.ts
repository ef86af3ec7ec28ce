import { describe, expect, it } from 'vitest';
import { SseParser } from './sse';

describe('SseParser', () => {
  it('reads messages cut anywhere, with comments, CRLF and multi-line data', () => {
    const stream =
      ': hello\r\nid: 7\r\nevent: progress\r\ndata: {"a":\r\ndata: 1}\r\n\r\nid: 8\nevent: log\ndata: x\n\n';
    for (let cut = 0; cut <= stream.length; cut++) {
      const parser = new SseParser();
      const messages = [...parser.push(stream.slice(0, cut)), ...parser.push(stream.slice(cut))];
      expect(messages).toEqual([
        { id: '7', event: 'progress', data: '{"a":\n1}' },
        { id: '8', event: 'log', data: 'x' },
      ]);
    }
  });

  it('keeps the retry delay and the last id; drops a message without data; defaults the type', () => {
    const parser = new SseParser();
    expect(parser.push('retry: 2500\n\nid: 3\nevent: ping\n\ndata: y\n\n')).toEqual([
      { id: '3', event: 'message', data: 'y' },
    ]);
    expect(parser.retryMs).toBe(2500);
    expect(parser.push('retry: soon\n\n')).toEqual([]);
    expect(parser.retryMs).toBe(2500);
  });

  it('waits for the end of a message and for the \\n after a trailing \\r', () => {
    const parser = new SseParser();
    expect(parser.push('data: z\r')).toEqual([]);
    expect(parser.push('\n')).toEqual([]);
    expect(parser.push('\r\n')).toEqual([{ id: null, event: 'message', data: 'z' }]);
  });
});
