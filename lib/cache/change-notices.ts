/**
 * This process's own writes, counted per kind of data. A cached read of that data is invalid as soon as the
 * count moves, so an instance shows its own writes at once (a supplier's new price, a lease taking the last
 * free GPU) without waiting for its next version reading. Writes by other instances are seen through the
 * database version (lib/cache/versioned-cache.ts).
 */

/** The data behind the public reads: the market's offers, and the metrics' rollups. */
export type ChangeKind = 'offers' | 'metrics';

const generations = new Map<ChangeKind, number>();

/** Call after committing a write that changes what public reads of `kind` show. */
export function noteDataChanged(kind: ChangeKind): void {
  generations.set(kind, (generations.get(kind) ?? 0) + 1);
}

/** How many writes of `kind` this process has noted. */
export function changeGeneration(kind: ChangeKind): number {
  return generations.get(kind) ?? 0;
}
