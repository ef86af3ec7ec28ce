/**
 * A workload for `node -e`: counts to the job's work (resuming where a checkpoint left it), half a second a
 * unit, reporting progress on the agent's stdout protocol, then prints `doneLine`.
 */
export function countingWorkload(doneLine: string): string {
  return [
    'let units = Number(process.env.BACKFILL_RESUME_UNITS || 0);',
    'const total = Number(process.env.BACKFILL_WORK_UNITS);',
    'const step = () => {',
    '  units += 1;',
    "  console.log('BACKFILL_PROGRESS ' + units);",
    `  if (units < total) setTimeout(step, 500); else console.log(${JSON.stringify(doneLine)});`,
    '};',
    'step();',
  ].join('\n');
}
