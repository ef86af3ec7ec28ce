/** Shown on every page while the database holds the simulated demo network. */
export function DemoBanner() {
  return (
    <div role="note" className="border-b border-warning/30 bg-warning-soft text-sm text-warning">
      <p className="mx-auto max-w-7xl px-4 py-2">
        <strong>Simulated demo network.</strong> Nodes, prices, uptime and verification results are generated
        from a seed by the marketplace&apos;s own code; no real GPUs or payments are involved.
      </p>
    </div>
  );
}
