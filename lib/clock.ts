/**
 * Time comes from an injected clock so tests and the simulator can fast-forward without sleeping.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: Date | string | number) {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): Date {
    this.current += ms;
    return this.now();
  }

  set(to: Date | string | number): Date {
    this.current = new Date(to).getTime();
    return this.now();
  }
}

export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;
