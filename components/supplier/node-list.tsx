'use client';

import { EmptyState, ErrorState, ListSkeleton, LoadMore } from '@/components/billing/list-states';
import { NodeCard } from '@/components/supplier/node-card';
import { Card } from '@/components/ui/card';
import { useSupplierNodes } from '@/lib/queries/supplier';

/** "My nodes", newest first: each with status, hardware, uptime, utilization, verification and price. */
export function NodeList() {
  const nodes = useSupplierNodes({});
  const items = nodes.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Card className="flex flex-col gap-4">
      <div>
        <h2 className="font-semibold">My nodes</h2>
        <p className="mt-1 text-sm text-muted-foreground">
          Uptime and utilization are measured over the last 30 days from each node&apos;s status history and
          the jobs placed on it; time before a node existed does not count against it.
        </p>
      </div>
      {nodes.isPending ? (
        <ListSkeleton rows={4} />
      ) : nodes.error && items.length === 0 ? (
        <ErrorState
          message={`Could not load your nodes: ${nodes.error.message}`}
          onRetry={() => void nodes.refetch()}
        />
      ) : items.length === 0 ? (
        <EmptyState>
          No nodes yet. Add one above: create a token, run the agent command on the machine, and it appears
          here.
        </EmptyState>
      ) : (
        <ul aria-label="Nodes, newest first" className="flex flex-col gap-4">
          {items.map((node) => (
            <li key={node.id}>
              <NodeCard node={node} />
            </li>
          ))}
        </ul>
      )}
      <LoadMore
        label="Load more nodes"
        hasMore={nodes.hasNextPage}
        loading={nodes.isFetchingNextPage}
        onLoad={() => void nodes.fetchNextPage()}
      />
    </Card>
  );
}
