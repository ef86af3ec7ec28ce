'use client';

import { useQueryClient, type InfiniteData } from '@tanstack/react-query';
import Link from 'next/link';
import { useId } from 'react';
import { formatTimestamp } from '@/components/billing/format';
import { formatDuration } from '@/components/jobs/job-labels';
import { useNow } from '@/components/jobs/use-now';
import { VERIFICATION_METHOD_TEXT } from '@/components/supplier/labels';
import { Button } from '@/components/ui/button';
import { StepList, type Step } from '@/components/wallet/step-list';
import {
  supplierKeys,
  useSupplierNodes,
  type RegistrationToken,
  type SupplierNodePage,
} from '@/lib/queries/supplier';
import type { SupplierNodeView } from '@/lib/supplier/schemas';
import { InstallCommandList } from '@/components/supplier/install-command-list';
import type { InstallCommand } from '@/components/supplier/install-commands';

export interface IssuedToken extends RegistrationToken {
  /** The install commands, token included, recommended first. */
  commands: InstallCommand[];
  /** The account's nodes when the token was created: the first other one is the new machine. */
  knownNodeIds: string[];
}

/** The first node that was not there when the token was created: the machine it registered. */
function findNewNode(
  data: InfiniteData<SupplierNodePage> | undefined,
  known: readonly string[],
): SupplierNodeView | null {
  return (data?.pages ?? []).flatMap((page) => page.items).find((n) => !known.includes(n.id)) ?? null;
}

function registrationSteps(node: SupplierNodeView | null, expired: boolean): Step[] {
  const state = node?.verification.state ?? null;
  const check = node?.verification.lastCheck ?? null;
  return [
    { id: 'token', label: 'One-time token created', status: 'done' },
    {
      id: 'register',
      label: 'The agent registers the node',
      status: node ? 'done' : expired ? 'failed' : 'active',
      detail: node
        ? `Registered as ${node.name}: ${node.gpuCount}× ${node.gpuName} in ${node.regionName}.`
        : expired
          ? 'The token expired unused. Create a new one.'
          : 'Waiting for the node to register… Run the command above on the machine.',
    },
    {
      id: 'benchmark',
      label: 'Hardware benchmark',
      status: !node
        ? 'waiting'
        : state === 'verified'
          ? 'done'
          : state === 'failed' || state === 'declared'
            ? 'failed'
            : 'active',
      detail:
        state === 'declared'
          ? 'The agent cannot run the GPU proof on this machine (no PyTorch or CuPy with CUDA, and no Docker with GPUs): the node is declared, unverified — listed only on request, and given only jobs pinned to it.'
          : !node || (state === 'unverified' && !check)
            ? node
              ? node.verification.benchmark
                ? `Benchmarking since ${formatTimestamp(node.verification.benchmark.since)} (an honest GPU of this model needs about ${Math.round(node.verification.benchmark.referenceMs / 1000)} s): a timed GPU proof — matrix products from a server seed, spot-checked by the server and timed against the claimed GPU model. The node is off the market while it runs.`
                : 'Waiting for the first benchmark slot (within a few seconds while the node is online and idle).'
              : undefined
            : check
              ? `${check.result === 'pass' ? 'Passed' : 'Failed'} ${formatTimestamp(check.at)}: ${check.detail}`
              : undefined,
    },
    {
      id: 'verified',
      label: 'Verified and listed on the market',
      status: state === 'verified' ? 'done' : state === 'failed' ? 'failed' : 'waiting',
      detail:
        state === 'verified' && node?.verification.lastVerifiedAt
          ? `Verified ${formatTimestamp(node.verification.lastVerifiedAt)} by ${
              node.verification.method ? VERIFICATION_METHOD_TEXT[node.verification.method] : 'a check'
            }.`
          : state === 'failed'
            ? 'The node is quarantined: off the market, its earnings held.'
            : undefined,
    },
  ];
}

function summary(node: SupplierNodeView | null, expired: boolean): string {
  if (!node) return expired ? 'The token expired unused.' : 'Waiting for the node to register…';
  if (node.verification.state === 'verified') return `${node.name} is verified and listed on the market.`;
  if (node.verification.state === 'failed') return `${node.name} failed its hardware benchmark.`;
  return `${node.name} registered; benchmarking its hardware…`;
}

/** The token's command with a copy button, then the new node from registration to verified. */
export function NewNodeProgress({ issued, onDone }: { issued: IssuedToken; onDone: () => void }) {
  const id = useId();
  const now = useNow(1_000);
  const queryClient = useQueryClient();
  // Polled quickly until the node shows up; then the list's own rule polls while it awaits its verdict.
  const registered = findNewNode(queryClient.getQueryData(supplierKeys.nodes), issued.knownNodeIds) !== null;
  const nodes = useSupplierNodes({ fastPoll: !registered });
  const node = findNewNode(nodes.data, issued.knownNodeIds);
  const expiresAt = Date.parse(issued.expiresAt);
  const expired = now !== null && now >= expiresAt;

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-col gap-2">
        <h3 id={`${id}-heading`} className="text-sm font-medium">
          Run one of these on the machine
        </h3>
        <p className="text-sm text-muted-foreground">
          Each line installs the agent and registers the machine with this one-time token, then keeps it
          running and heartbeating.
          {issued.commands.length === 1
            ? ' The bundled agent is not built on this server (npm run build:agent), so only the checkout command is shown.'
            : ''}
        </p>
        <InstallCommandList commands={issued.commands} />
        <p className="text-sm">
          The token works once and expires at{' '}
          <time dateTime={issued.expiresAt}>{formatTimestamp(issued.expiresAt)}</time>
          {now !== null && !node ? (
            <span className="text-muted-foreground">
              {' '}
              ({expired ? 'expired' : `in ${formatDuration(expiresAt - now)}`})
            </span>
          ) : null}
          .
        </p>
      </div>
      <StepList label="New node steps" steps={registrationSteps(node, expired && !node)} />
      <p role="status" aria-live="polite" className="text-sm font-medium">
        {summary(node, expired && !node)}
      </p>
      {nodes.error ? (
        <p role="alert" className="text-sm text-danger">
          Could not read your nodes: {nodes.error.message} Retrying…
        </p>
      ) : null}
      <div className="flex flex-wrap gap-2">
        {node?.verification.state === 'verified' ? (
          <Link href={`/market/${node.id}`} className="text-sm text-accent underline underline-offset-2">
            See {node.name} on the market
          </Link>
        ) : null}
        <Button onClick={onDone}>{node ? 'Add another node' : 'Start over'}</Button>
      </div>
    </div>
  );
}
