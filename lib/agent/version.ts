import { z } from 'zod';
import { version as packageVersion } from '@/package.json';

/**
 * The agent's version: the package's, read when the code is built (the bundled agent carries it inlined;
 * `npm run agent` reads it from package.json). It is sent on registration and with every heartbeat, and the
 * marketplace may refuse agents older than its `MIN_AGENT_VERSION`.
 */
export const AGENT_VERSION: string = packageVersion;

/** Semantic version 2.0 (`1.2.3`, `1.2.3-rc.1`, `1.2.3+build.5`); numbers of at most nine digits. */
const SEMVER =
  /^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/** An agent version as agents report it and the minimum is configured. */
export const agentVersionSchema = z
  .string()
  .max(40)
  .regex(SEMVER, 'must be a semantic version such as 1.2.3')
  .meta({ description: 'The agent’s semantic version, e.g. 0.1.0.' });

interface ParsedVersion {
  core: [number, number, number];
  prerelease: string[];
}

function parseVersion(text: string): ParsedVersion | null {
  const match = SEMVER.exec(text);
  if (!match) return null;
  return {
    core: [Number(match[1]), Number(match[2]), Number(match[3])],
    prerelease: match[4] ? match[4].split('.') : [],
  };
}

/** Precedence of two prerelease identifiers: numbers compare numerically and sort before words. */
function compareIdentifiers(a: string, b: string): number {
  const numeric = /^\d+$/;
  if (numeric.test(a) && numeric.test(b)) return Math.sign(Number(a) - Number(b));
  if (numeric.test(a)) return -1;
  if (numeric.test(b)) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Semantic-version precedence: negative when `a` is older than `b`, 0 when equal (build metadata is
 * ignored), positive when newer. A prerelease is older than its release (`1.0.0-rc.1` < `1.0.0`). Throws on
 * text that is not a semantic version.
 */
export function compareVersions(a: string, b: string): number {
  const left = parseVersion(a);
  const right = parseVersion(b);
  if (!left || !right) throw new Error(`not a semantic version: "${left ? b : a}"`);
  for (let i = 0; i < 3; i += 1) {
    const diff = (left.core[i] ?? 0) - (right.core[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  if (!left.prerelease.length || !right.prerelease.length)
    return Math.sign(right.prerelease.length - left.prerelease.length);
  const length = Math.max(left.prerelease.length, right.prerelease.length);
  for (let i = 0; i < length; i += 1) {
    const x = left.prerelease[i];
    const y = right.prerelease[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const order = compareIdentifiers(x, y);
    if (order !== 0) return order;
  }
  return 0;
}

/**
 * Whether an agent of `version` must update to meet `minimum` (none: never). An agent that did not say its
 * version, or said something that is not one, predates version reporting or cannot be trusted to be new
 * enough: it must update.
 */
export function agentUpdateNeeded(
  version: string | null | undefined,
  minimum: string | null | undefined,
): boolean {
  if (!minimum) return false;
  if (!version || !parseVersion(version)) return true;
  return compareVersions(version, minimum) < 0;
}
