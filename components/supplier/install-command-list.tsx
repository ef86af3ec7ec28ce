'use client';

import { useId } from 'react';
import type { InstallCommand, InstallMethod } from '@/components/supplier/install-commands';
import { CopyButton } from '@/components/ui/copy-button';
import { ScrollRegion } from '@/components/ui/scroll-region';

/** What each way needs on the machine, and how later runs go. */
const NEEDS: Record<InstallMethod, string> = {
  node:
    'Needs Node.js 20 or later, curl and sha256sum; nothing else. Downloads the agent into this directory, ' +
    'checks its sha256, registers and runs. Later runs: node backfill-agent.mjs (the node token is kept in ' +
    '~/.backfill-agent).',
  npx:
    'Needs Node.js 20 or later with npm, curl and sha256sum. The same agent as an npm package with no ' +
    'dependencies, checked before npx runs it. Later runs: the same npx line without --token.',
  docker:
    'Needs Docker and the NVIDIA Container Toolkit. Builds the agent image (the build checks the agent’s ' +
    'sha256) and runs it with the host’s Docker socket, restarting with the machine.',
  systemd:
    'Needs Node.js 20 or later and root (sudo). Installs the agent as the backfill-agent service, state in ' +
    '/var/lib/backfill-agent, restarted whenever it stops.',
  checkout:
    'From a checkout of the Backfill repository, after npm ci. Later runs: npm run agent (the node token is ' +
    'kept in ~/.backfill-agent).',
};

/** The region and button names of the checkout command, which older pages and tests know it by. */
const LABELS: Record<InstallMethod, { region: string; copy: string }> = {
  node: { region: 'Install command: Node.js', copy: 'Copy the Node.js command' },
  npx: { region: 'Install command: npx', copy: 'Copy the npx command' },
  docker: { region: 'Install command: Docker', copy: 'Copy the Docker command' },
  systemd: { region: 'Install command: systemd', copy: 'Copy the systemd command' },
  checkout: { region: 'Agent command', copy: 'Copy command' },
};

function CommandBlock({ item }: { item: InstallCommand }) {
  const id = useId();
  const labels = LABELS[item.method];
  return (
    <li className="flex flex-col gap-2" data-install-method={item.method}>
      <h4 id={`${id}-title`} className="text-sm font-medium">
        {item.title}
      </h4>
      <p className="text-xs text-muted-foreground">{NEEDS[item.method]}</p>
      <ScrollRegion label={labels.region} className="rounded-md border border-border bg-muted p-3">
        <pre className="font-mono text-xs break-all whitespace-pre-wrap">
          <code>{item.command}</code>
        </pre>
      </ScrollRegion>
      <CopyButton text={item.command} label={labels.copy} />
    </li>
  );
}

/** The one-line install commands, each with its copy button; the first is the recommended one. */
export function InstallCommandList({ commands }: { commands: InstallCommand[] }) {
  return (
    <ul aria-label="Ways to install the agent" className="flex flex-col gap-4">
      {commands.map((item) => (
        <CommandBlock key={item.method} item={item} />
      ))}
    </ul>
  );
}
