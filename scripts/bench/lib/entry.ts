import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Cleanup } from '@/scripts/bench/lib/cleanup';

/**
 * The shared entry of every benchmark: parse the arguments (usage on error or `--help`), run it with a
 * cleanup list that also runs on Ctrl-C, and report a failure with its stack.
 */
export function runBenchmark<O>(
  parse: (argv: readonly string[]) => O | 'help',
  usage: string,
  benchmark: (options: O, argv: readonly string[], cleanup: Cleanup) => Promise<void>,
): void {
  const main = async () => {
    const argv = process.argv.slice(2);
    let options: O | 'help';
    try {
      options = parse(argv);
    } catch (error) {
      console.error(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
      process.exit(2);
    }
    if (options === 'help') {
      console.log(usage);
      return;
    }
    const cleanup = new Cleanup();
    const interrupt = () => {
      console.error('\n• interrupted; stopping everything the benchmark started');
      void cleanup.runAll().finally(() => process.exit(130));
    };
    process.once('SIGINT', interrupt);
    process.once('SIGTERM', interrupt);
    try {
      await benchmark(options, argv, cleanup);
    } finally {
      await cleanup.runAll();
    }
  };
  main().catch((error: unknown) => {
    console.error(
      `• benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exit(1);
  });
}

/** Writes a benchmark's results as JSON (with its total time) and prints where, and how to reproduce them. */
export function writeResults(
  file: string,
  results: Record<string, unknown>,
  started: number,
  command: string,
): void {
  const totalSeconds = (performance.now() - started) / 1000;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ ...results, totalSeconds }, null, 2)}\n`);
  console.log(`\nWrote ${file}; total ${totalSeconds.toFixed(0)} s. Reproduce with: ${command}`);
}
