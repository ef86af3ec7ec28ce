/**
 * `npm run metrics:verify -- --url https://marketplace.example` — check a marketplace's public metrics from the
 * outside, over HTTP only: download the manifest of daily raw exports and every file, check every sha256, the
 * hash chain and every signature against the published signer, recompute every metric from the files alone and
 * compare it with the published series. Prints every difference, then a summary; exits 1 on any difference or
 * broken integrity (docs/metrics.md, "Recompute the metrics yourself").
 */
import { parseArgs } from 'node:util';
import { verifyMetrics, type VerifyReport } from '@/lib/metrics/verify';

export function printReport(report: VerifyReport, print: (line: string) => void = console.log): void {
  for (const problem of report.integrity) print(`INTEGRITY  ${problem}`);
  for (const d of report.differences)
    print(
      d.metric === 'extent'
        ? `DIFFERENCE extent.${d.column}: published ${d.published}, first exported day ${d.recomputed}`
        : `DIFFERENCE ${d.metric} by ${d.granularity}, ${d.period}, ${d.column}: published ${d.published}, ` +
            `recomputed ${d.recomputed}`,
    );
  for (const line of report.notCovered) print(`not covered: ${line}`);
  print(
    `${report.ok ? 'OK' : 'FAILED'}: ${report.days} day(s) of exports` +
      (report.firstDay ? ` (${report.firstDay} … ${report.lastDay})` : '') +
      `, signer ${report.signer ?? '?'}; ${report.integrity.length} integrity problem(s); ` +
      `${report.comparedRows} row(s) compared, ${report.differences.length} difference(s).` +
      (report.days === 0 ? ' Nothing is exported yet, so nothing was verified.' : ''),
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { url: { type: 'string' }, quiet: { type: 'boolean' } } });
  if (!values.url) {
    console.error('usage: npm run metrics:verify -- --url https://marketplace.example [--quiet]');
    process.exit(2);
  }
  const report = await verifyMetrics({
    url: values.url,
    log: values.quiet ? undefined : (line) => console.log(line),
  });
  printReport(report);
  process.exit(report.ok ? 0 : 1);
}

if (process.argv[1]?.endsWith('metrics-verify.ts'))
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
