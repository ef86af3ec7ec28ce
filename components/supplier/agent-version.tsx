import { AGENT_PATHS } from '@/lib/agent/install-paths';
import type { SupplierNodeView } from '@/lib/supplier/schemas';

/**
 * The agent a node runs, and — when it is older than the marketplace accepts — that it must be updated: the
 * marketplace refuses its heartbeats until then, so the node goes offline and its jobs fail over.
 */
export function AgentVersionNote({ agent }: { agent: SupplierNodeView['agent'] }) {
  const version = agent.version ? `agent ${agent.version}` : 'an agent that reports no version';
  if (!agent.updateNeeded)
    return (
      <p className="text-sm text-muted-foreground" data-agent-version={agent.version ?? ''}>
        Runs {version}.
      </p>
    );
  return (
    <div
      role="note"
      aria-label="Agent update needed"
      data-agent-version={agent.version ?? ''}
      className="rounded-lg border-2 border-warning/60 bg-warning-soft p-3 text-sm text-warning"
    >
      <p className="font-semibold">Update needed: runs {version}</p>
      <p className="mt-1">
        This marketplace accepts agent {agent.minimumVersion} or newer and refuses this node&apos;s heartbeats
        until it is updated: it takes no jobs meanwhile. Download the current agent (
        <a href={AGENT_PATHS.bundle} className="underline underline-offset-2">
          backfill-agent.mjs
        </a>
        , or an install command under &ldquo;Add a node&rdquo;) and restart it with the same state directory;
        the node keeps its identity.
      </p>
    </div>
  );
}
