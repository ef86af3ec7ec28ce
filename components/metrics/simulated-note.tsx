/** On the demo network: where these figures come from, and that they are not a real market's. */
export function SimulatedMetricsNote({ generatedHistory }: { generatedHistory: boolean }) {
  return (
    <div role="note" className="rounded-lg border border-warning/40 bg-warning-soft p-3 text-sm text-warning">
      <strong>Simulated data.</strong> These figures are computed from the ledger and job records of the
      simulated demo network: simulated customers launching real jobs through the API on a simulated fleet
      {generatedHistory ? ', with a generated history of past months behind them' : ''}. The code that
      computes them is the code a real network would run.
    </div>
  );
}
