/**
 * The trivial request's view of the server while the fleet heartbeats, in a process of its own so the fleet
 * driver's busy event loop does not add to what it measures: `GET <url>` every 50 ms on one keep-alive
 * connection (the next one as soon as a slow one returns) from `startAt` for `durationMs`, then one line of
 * JSON on stdout: the latencies' summary, errors, and the probe's own CPU time.
 *
 * Usage: tsx scripts/bench/lib/stall-probe.ts <url> <startAt epoch ms> <durationMs>
 */
import { Agent, request } from 'node:http';
import { summarize } from '@/scripts/bench/lib/stats';

const EVERY_MS = 50;
const [url = '', startArg = '0', durationArg = '0'] = process.argv.slice(2);
const startAt = Number(startArg);
const durationMs = Number(durationArg);
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

function get(): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(url, { agent, timeout: 30_000 }, (res) => {
      res.resume();
      res.on('end', () =>
        res.statusCode === 200
          ? resolve(performance.now() - started)
          : reject(new Error(`status ${res.statusCode}`)),
      );
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

async function main(): Promise<void> {
  // One request before the window: the connection is open when it starts.
  await get().catch(() => undefined);
  await sleep(startAt - Date.now());
  const cpuBefore = process.cpuUsage();
  const samples: number[] = [];
  let errors = 0;
  const end = startAt + durationMs;
  for (let next = Date.now(); next < end;) {
    try {
      samples.push(await get());
    } catch {
      errors += 1;
    }
    // After a slow answer, the next request goes at once, not a burst of the ones missed.
    next = Math.max(next + EVERY_MS, Date.now());
    await sleep(next - Date.now());
  }
  const cpu = process.cpuUsage(cpuBefore);
  agent.destroy();
  process.stdout.write(
    `${JSON.stringify({ latency: summarize(samples), errors, cpuSeconds: (cpu.user + cpu.system) / 1e6 })}\n`,
  );
}

void main();
