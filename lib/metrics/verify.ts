import { verifyMessage, type Hex } from 'viem';
import { METRICS, type Granularity, type MetricId } from '@/lib/metrics/definitions';
import {
  READABLE_EXPORT_FORMATS,
  EXPORT_SECTIONS,
  GENESIS_CHAIN_HASH,
  chainHash,
  exportEntryMessage,
  sha256Hex,
  type ExportFile,
} from '@/lib/metrics/export-format';
import { addDays, nextPeriodStart, periodStart } from '@/lib/metrics/percentiles';
import { recomputeContext, recomputeMetric } from '@/lib/metrics/recompute';
import type { MetricRow } from '@/lib/metrics/schemas';

/**
 * The outsider's check of the public metrics (`npm run metrics:verify -- --url <marketplace>`): over HTTP only,
 * it downloads the export manifest and every daily file, checks each file's sha256, the hash chain and each
 * entry's signature against the published signer, recomputes every metric from the files
 * (lib/metrics/recompute.ts) and compares it with the published series, column by column.
 *
 * Coverage: flow metrics are asked for exactly the exported days (`from` = first, `to` = last exported day), so a
 * period cut by that range — today's week or month — is compared for the days it covers, as the API sums only
 * those. Customer metrics are whole months by definition: a month is compared once every one of its days is
 * exported; later months are reported as not covered. "Right now" figures (verified GPUs by check recency, the
 * headline) are not in the files and are not compared.
 *
 * What is on record (the periods published as null, the NRR forms the records support) is the exported span:
 * exports begin at the first day with any record and have no gaps, and every exported day is on record. The
 * published extent's first day (GET /api/v1/metrics) is compared with the first exported day. The `simulated`
 * column is the deployment's setting, stated in the manifest and compared on every row.
 */

export interface Difference {
  /** A metric, or `extent` for the summary's first day on record. */
  metric: MetricId | 'extent';
  granularity: Granularity;
  period: string;
  column: string;
  published: string;
  recomputed: string;
}

export interface VerifyReport {
  url: string;
  signer: string | null;
  days: number;
  firstDay: string | null;
  lastDay: string | null;
  /** Broken hashes, chain links, signatures, unreadable files or gaps. */
  integrity: string[];
  differences: Difference[];
  /** Rows compared, over every metric and granularity. */
  comparedRows: number;
  notCovered: string[];
  ok: boolean;
}

interface ManifestEntry {
  day: string;
  sha256: string;
  previousChainHash: string;
  chainHash: string;
  signer: string;
  signature: string;
  rowCounts: Record<string, number>;
  url: string;
}

type Fetch = (input: string) => Promise<Response>;

async function getJson<T>(fetcher: Fetch, url: string): Promise<T> {
  const response = await fetcher(url);
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

const cell = (value: unknown) => (value === undefined ? '(missing)' : JSON.stringify(value));

function rowKey(id: MetricId, row: MetricRow): string {
  return id === 'cohort-retention' ? `${row.cohort}/${row.period}` : String(row.period);
}

/** Every difference between the published rows and the recomputed ones, keyed by period (cohort/period). */
export function compareRows(
  id: MetricId,
  granularity: Granularity,
  columns: readonly string[],
  published: readonly MetricRow[],
  recomputed: readonly MetricRow[],
): Difference[] {
  const out: Difference[] = [];
  const mine = new Map(recomputed.map((r) => [rowKey(id, r), r]));
  const theirs = new Map(published.map((r) => [rowKey(id, r), r]));
  for (const key of new Set([...theirs.keys(), ...mine.keys()])) {
    const p = theirs.get(key);
    const r = mine.get(key);
    for (const column of columns) {
      const a = cell(p?.[column]);
      const b = cell(r?.[column]);
      if (a !== b) out.push({ metric: id, granularity, period: key, column, published: a, recomputed: b });
    }
  }
  return out;
}

/** The last day of the last whole month within the exported days, or null when none is whole. */
function lastWholeMonthEnd(firstDay: string, lastDay: string): string | null {
  const next = addDays(lastDay, 1);
  const monthEnd = periodStart(next, 'month') === next ? lastDay : addDays(periodStart(lastDay, 'month'), -1);
  return monthEnd >= firstDay ? monthEnd : null;
}

export async function verifyMetrics(options: {
  url: string;
  fetch?: Fetch;
  log?: (line: string) => void;
}): Promise<VerifyReport> {
  const base = options.url.replace(/\/+$/, '');
  const fetcher: Fetch = options.fetch ?? ((input) => fetch(input));
  const log = options.log ?? (() => {});
  const integrity: string[] = [];
  const differences: Difference[] = [];
  const notCovered: string[] = [];

  const { address: signer } = await getJson<{ address: string }>(fetcher, `${base}/api/v1/receipts/signer`);
  const manifest = await getJson<{ simulated?: boolean; days: ManifestEntry[] }>(
    fetcher,
    `${base}/api/v1/metrics/exports`,
  );
  if (typeof manifest.simulated !== 'boolean') integrity.push('manifest: no `simulated` flag');
  const entries = [...manifest.days].sort((a, b) => (a.day < b.day ? -1 : 1));
  log(`Manifest: ${entries.length} day(s); marketplace signer ${signer}.`);

  // Integrity: each file's hash, the chain from the genesis, each signature, no gaps.
  const files: ExportFile[] = [];
  let previous = GENESIS_CHAIN_HASH;
  let previousDay: string | null = null;
  for (const entry of entries) {
    const problem = (message: string) => integrity.push(`${entry.day}: ${message}`);
    if (previousDay && entry.day !== addDays(previousDay, 1))
      problem(`gap: the day before is ${previousDay}`);
    if (entry.previousChainHash !== previous)
      problem(`previous chain hash ${entry.previousChainHash} is not the previous entry's ${previous}`);
    if (chainHash(entry.previousChainHash, entry.sha256) !== entry.chainHash)
      problem('chain hash is not sha256(previous chain hash ‖ file sha256)');
    if (entry.signer.toLowerCase() !== signer.toLowerCase())
      problem(`signed by ${entry.signer}, not the published signer`);
    const signed = await verifyMessage({
      address: signer as Hex,
      message: exportEntryMessage(entry),
      signature: entry.signature as Hex,
    }).catch(() => false);
    if (!signed) problem('signature does not verify against the published signer');
    previous = entry.chainHash;
    previousDay = entry.day;

    const response = await fetcher(new URL(entry.url, `${base}/`).toString());
    if (!response.ok) {
      problem(`file: HTTP ${response.status}`);
      continue;
    }
    const bytes = Buffer.from(await response.arrayBuffer());
    const digest = sha256Hex(bytes);
    if (digest !== entry.sha256) problem(`file sha256 ${digest} ≠ manifest ${entry.sha256}`);
    let file: ExportFile;
    try {
      file = JSON.parse(bytes.toString('utf8')) as ExportFile;
    } catch {
      problem('file is not JSON');
      continue;
    }
    if (!READABLE_EXPORT_FORMATS.includes(file.format)) problem(`unknown format ${String(file.format)}`);
    if (file.day !== entry.day) problem(`file is for ${file.day}`);
    for (const section of EXPORT_SECTIONS)
      if (!Array.isArray(file[section]) || file[section].length !== entry.rowCounts[section])
        problem(
          `${section}: ${file[section]?.length ?? 'no'} rows, manifest says ${entry.rowCounts[section]}`,
        );
    files.push(file);
  }

  const firstDay = entries[0]?.day ?? null;
  const lastDay = entries.at(-1)?.day ?? null;
  let comparedRows = 0;
  if (firstDay && lastDay) {
    const context = recomputeContext(files, manifest.simulated === true);
    // The published extent begins where the exports do: the first day with any record.
    const summary = await getJson<{ extent?: { firstDay?: string | null } }>(
      fetcher,
      `${base}/api/v1/metrics`,
    );
    const publishedFirst = summary.extent?.firstDay;
    if (publishedFirst !== firstDay)
      differences.push({
        metric: 'extent',
        granularity: 'day',
        period: 'firstDay',
        column: 'firstDay',
        published: cell(publishedFirst),
        recomputed: cell(firstDay),
      });
    const wholeMonthsTo = lastWholeMonthEnd(firstDay, lastDay);
    const firstUncovered = wholeMonthsTo ? addDays(wholeMonthsTo, 1) : periodStart(firstDay, 'month');
    for (let m = periodStart(firstUncovered, 'month'); m <= lastDay; m = nextPeriodStart(m, 'month'))
      notCovered.push(`customer metrics of ${m.slice(0, 7)}: the month is not over in the exports`);
    for (const definition of METRICS)
      for (const granularity of definition.granularities) {
        const monthly = definition.granularities.length === 1;
        const to = monthly ? wholeMonthsTo : lastDay;
        if (!to) continue;
        const range = { from: firstDay, to, granularity };
        const query = new URLSearchParams({ ...range, format: 'json' });
        const series = await getJson<{ rows: MetricRow[] }>(
          fetcher,
          `${base}/api/v1/metrics/${definition.id}?${query}`,
        );
        const recomputed = recomputeMetric(files, definition.id, range, context);
        const columns = definition.columns.map((c) => c.key);
        const found = compareRows(definition.id, granularity, columns, series.rows, recomputed);
        comparedRows += Math.max(series.rows.length, recomputed.length);
        differences.push(...found);
        log(
          `${definition.id} by ${granularity} (${range.from} … ${range.to}): ${series.rows.length} rows, ` +
            `${found.length} difference(s)`,
        );
      }
    notCovered.push(
      'verified GPUs online by check recency and the headline figures: “right now”, not in the files',
    );
  }
  return {
    url: base,
    signer,
    days: entries.length,
    firstDay,
    lastDay,
    integrity,
    differences,
    comparedRows,
    notCovered,
    ok: integrity.length === 0 && differences.length === 0 && entries.length > 0,
  };
}
