import { AppError } from '@/lib/api/errors';
import { AGENT_PATHS } from '@/lib/agent/install-paths';
import { agentUpdateNeeded } from '@/lib/agent/version';

/**
 * Refuses an agent older than the marketplace's minimum (`MIN_AGENT_VERSION`; none: every version is
 * accepted) with 426 `upgrade_required`, naming the minimum and where to download the current agent. Used at
 * registration (nothing is registered, the token stays unused) and on every heartbeat (nothing of it counts,
 * so the node's leases fail over once it has been silent for the lost-after window, as for any host that
 * stops reporting). An agent that reports no version predates version reporting: it is older.
 */
export function requireAgentVersion(
  version: string | undefined,
  minimum: string | undefined,
  /** The marketplace's origin as the agent called it, for the download link (null: a relative path). */
  origin: string | null,
): void {
  if (!agentUpdateNeeded(version, minimum)) return;
  throw new AppError(
    'upgrade_required',
    `This marketplace requires Backfill agent ${minimum} or newer; this agent is ` +
      `${version ?? 'older (it reports no version)'}. Download the current agent from ` +
      `${origin ?? ''}${AGENT_PATHS.bundle} (the Supplier page shows the install commands) and restart it; ` +
      'its node token and state directory stay as they are.',
  );
}
