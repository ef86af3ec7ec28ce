import { MS_PER_DAY } from '@/lib/clock';
import { reliabilityOn, type HistoryNode } from '@/simulator/history/network';
import { nodeCapacity, rankCapacity, type NodeCapacity } from '@/lib/scheduler/schedule';

/**
 * The supply as the history's scheduler sees it at a simulated instant: which verified nodes are up (from their
 * status history), their free GPUs, and their rank on the day (the live score with that day's reliability).
 * Instants only move forward, so each node keeps a cursor into its history.
 */
export interface SupplyNode {
  node: HistoryNode;
  /** What the scheduler sees of the node; its `free` set is the node's free GPUs, kept up to date. */
  capacity: NodeCapacity;
  cursor: number;
  /** Next up-stretch whose start is still to be announced. */
  nextUp: number;
}

export class Supply {
  readonly nodes: SupplyNode[] = [];
  readonly byId: Map<string, SupplyNode>;
  private ranked: { day: number; nodes: SupplyNode[] } = { day: -1, nodes: [] };

  /** Only nodes that ever passed a benchmark can take work. */
  constructor(
    nodes: readonly HistoryNode[],
    private readonly from: number,
  ) {
    for (const node of nodes) {
      const capacity = nodeCapacity({ ...node, reliabilityBp: null, verified: true, leased: [] });
      if (capacity && node.verifiedFrom !== null) this.nodes.push({ node, capacity, cursor: 0, nextUp: 0 });
    }
    this.byId = new Map(this.nodes.map((s) => [s.node.id, s]));
  }

  /** When the node next gains capacity after `now` (comes up, or up and verified), or null when never. */
  nextCapacityAt(state: SupplyNode, now: number): number | null {
    const { node } = state;
    const verifiedFrom = node.verifiedFrom ?? Infinity;
    while (state.nextUp < node.up.length) {
      const [start, end] = node.up[state.nextUp] as [number, number];
      state.nextUp += 1;
      const at = Math.max(start, verifiedFrom, this.from);
      if (at < end && at > now) return at;
    }
    return null;
  }

  /** End of the up-stretch the node is in at `at`, or null when it is down (or not verified yet). */
  upUntil(state: SupplyNode, at: number): number | null {
    const { node } = state;
    if (node.verifiedFrom === null || node.verifiedFrom > at) return null;
    while (state.cursor < node.up.length && (node.up[state.cursor] as [number, number])[1] <= at)
      state.cursor++;
    const stretch = node.up[state.cursor];
    return stretch && stretch[0] <= at ? stretch[1] : null;
  }

  /** The nodes ranked by their score on `day`: price ÷ (throughput × that day's 30-day reliability). */
  rankedOn(day: number): SupplyNode[] {
    if (this.ranked.day === day) return this.ranked.nodes;
    const dayStart = this.from + day * MS_PER_DAY;
    for (const state of this.nodes) {
      const { node } = state;
      const scored = nodeCapacity({
        ...node,
        reliabilityBp: reliabilityOn(node, dayStart),
        verified: true,
        leased: [],
      });
      if (scored) state.capacity.score = scored.score;
    }
    const order = new Map(rankCapacity(this.nodes.map((s) => s.capacity)).map((c, i) => [c.id, i]));
    const nodes = [...this.nodes].sort((a, b) => (order.get(a.node.id) ?? 0) - (order.get(b.node.id) ?? 0));
    this.ranked = { day, nodes };
    return nodes;
  }
}
