import { createRng, type Rng } from '@/lib/random';

/**
 * Independent random streams of the demo history, each derived from the seed and a name (and an index):
 * customer c's plan, day d's arrivals, job j's fate. A stream never depends on how many numbers another one
 * drew, so what happens on a day is the same whether the history was generated in one go or resumed.
 */
export function streamSeed(seed: number, name: string, index = 0): number {
  // FNV-1a over the seed, the name and the index, then a murmur3-style finaliser to spread the bits.
  let h = 0x811c9dc5;
  const mix = (byte: number) => {
    h ^= byte & 0xff;
    h = Math.imul(h, 0x01000193);
  };
  for (const part of [seed >>> 0, index >>> 0]) for (let s = 0; s < 32; s += 8) mix(part >>> s);
  for (let i = 0; i < name.length; i++) mix(name.charCodeAt(i));
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function streamRng(seed: number, name: string, index = 0): Rng {
  return createRng(streamSeed(seed, name, index));
}

/** A standard normal draw (Box–Muller). */
export function normal(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

/** Log-normally distributed around `median` with the given spread (σ of the logarithm). */
export function logNormal(rng: Rng, median: number, sigma: number): number {
  return median * Math.exp(normal(rng) * sigma);
}

/** A Poisson draw with the given mean (Knuth's method for small means, a normal approximation above 30). */
export function poisson(rng: Rng, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 30) return Math.max(0, Math.round(mean + normal(rng) * Math.sqrt(mean)));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k++;
    p *= rng.next();
  }
  return k;
}
