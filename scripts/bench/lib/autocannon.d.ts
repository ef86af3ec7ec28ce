/**
 * The part of autocannon 9's programmatic API the benchmarks use. The package ships no types and
 * @types/autocannon is not a dependency, so the surface is declared here and kept deliberately small.
 */
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  interface AutocannonRequest {
    method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
    path: string;
    headers?: Record<string, string>;
  }

  interface AutocannonOptions {
    url: string;
    connections?: number;
    duration?: number;
    pipelining?: number;
    /** Seconds before a request counts as timed out. */
    timeout?: number;
    requests?: AutocannonRequest[];
    /** Called once per connection, e.g. to listen to its `headers` events. */
    setupClient?: (client: AutocannonClient) => void;
  }

  interface AutocannonResult {
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    '2xx': number;
  }

  /** The per-connection client autocannon passes with each response event. */
  interface AutocannonClient {
    requestIterator: { currentRequest: AutocannonRequest };
    /** Fired when a response's headers are parsed; `headers` alternates names and values. */
    on(event: 'headers', listener: (info: { headers: string[] }) => void): this;
  }

  interface AutocannonInstance extends EventEmitter {
    on(
      event: 'response',
      listener: (
        client: AutocannonClient,
        statusCode: number,
        resBytes: number,
        responseTime: number,
      ) => void,
    ): this;
    stop(): void;
  }

  function autocannon(
    options: AutocannonOptions,
    callback: (error: Error | null, result: AutocannonResult) => void,
  ): AutocannonInstance;

  export default autocannon;
  export type {
    AutocannonClient,
    AutocannonInstance,
    AutocannonOptions,
    AutocannonRequest,
    AutocannonResult,
  };
}
