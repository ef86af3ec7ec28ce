import { microsToDecimal } from '@/lib/money';

/** How the agent runs jobs: in containers (production) or as plain processes on the host (development, tests). */
export type AgentRunner = 'docker' | 'process';

export interface AgentCommandInput {
  /** The marketplace's origin, e.g. "https://backfill.example.com". */
  origin: string;
  registrationToken: string;
  region: string;
  priceMicros: bigint;
  runner: AgentRunner;
  /** Declared GPUs for a machine without nvidia-smi; omitted when the agent detects them. */
  gpus?: { model: string; count: number } | null;
}

/** The CUDA version a declared (test) machine registers with. */
export const DECLARED_CUDA_VERSION = '12.4';

/** Characters every word of the command is made of, so it runs as shown in any POSIX shell, unquoted. */
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * The exact command that registers a machine with the node agent (docs/agent.md):
 * `npm run agent -- --api <origin> --token <token> --region <region> --price <usd> [--runner process]
 * [--gpus <model>:<count> --cuda <x.y>]`. The default runner (docker) is left out. Every word is checked to need no
 * shell quoting, so copying the text and splitting it on spaces gives the same arguments.
 */
export function buildAgentCommand(input: AgentCommandInput): string {
  return ['npm', 'run', 'agent', '--', ...agentArguments(input)].join(' ');
}

/**
 * The agent's arguments for this machine (`--api … --token … --region … --price …` and the runner and
 * declared GPUs when chosen), each checked to need no shell quoting.
 */
export function agentArguments(input: AgentCommandInput): string[] {
  const words = [
    '--api',
    input.origin,
    '--token',
    input.registrationToken,
    '--region',
    input.region,
    '--price',
    microsToDecimal(input.priceMicros),
  ];
  if (input.runner === 'process') words.push('--runner', 'process');
  // A machine without nvidia-smi cannot tell its CUDA version either: the declaration states the usual one.
  if (input.gpus)
    words.push('--gpus', `${input.gpus.model}:${input.gpus.count}`, '--cuda', DECLARED_CUDA_VERSION);
  for (const word of words) assertSafeWord(word);
  return words;
}

/** Throws unless the word runs as shown in any POSIX shell, unquoted. */
export function assertSafeWord(word: string): string {
  if (!SAFE_WORD.test(word)) throw new Error(`"${word}" cannot be put in the agent command unquoted`);
  return word;
}
