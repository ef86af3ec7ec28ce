import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '@/lib/clock';
import type { Db } from '@/lib/db/client';
import { OFFER_REFRESH_INTERVAL_MS, startBackgroundLoops } from '@/lib/worker/background-loops';

const refresh = vi.hoisted(() => vi.fn());
vi.mock('@/lib/market/refresh-offers', () => ({ refreshOffers: refresh }));

describe('background loops', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    refresh.mockReset();
  });
  afterEach(() => vi.useRealTimers());

  it('refreshes offers on every tick, never overlapping a slow run, and survives a failing run', async () => {
    let finish: () => void = () => {};
    refresh.mockImplementationOnce(() => new Promise<void>((resolve) => (finish = resolve)));
    refresh.mockRejectedValueOnce(new Error('database went away'));
    refresh.mockResolvedValue({ listed: 1, unlisted: 0 });
    const errors: unknown[] = [];
    const stop = startBackgroundLoops({} as Db, new ManualClock(0), {
      error: (...args) => errors.push(args),
    });

    await vi.advanceTimersByTimeAsync(OFFER_REFRESH_INTERVAL_MS);
    expect(refresh).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(OFFER_REFRESH_INTERVAL_MS);
    expect(refresh).toHaveBeenCalledTimes(1); // the first run is still going
    finish();
    await vi.advanceTimersByTimeAsync(OFFER_REFRESH_INTERVAL_MS);
    expect(refresh).toHaveBeenCalledTimes(2); // this one fails
    await vi.advanceTimersByTimeAsync(OFFER_REFRESH_INTERVAL_MS);
    expect(refresh).toHaveBeenCalledTimes(3);
    // Other loops fail too on this stand-in database; only the refresh's own failure is counted here.
    expect(errors.filter((e) => String((e as unknown[])[0]).includes('refresh-offers'))).toHaveLength(1);

    stop();
    await vi.advanceTimersByTimeAsync(OFFER_REFRESH_INTERVAL_MS * 3);
    expect(refresh).toHaveBeenCalledTimes(3);
  });
});
