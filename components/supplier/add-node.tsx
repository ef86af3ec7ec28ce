'use client';

import { useId, useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { type AgentRunner } from '@/components/supplier/agent-command';
import { buildInstallCommands, type AgentReleaseInfo } from '@/components/supplier/install-commands';
import { parsePriceInput } from '@/components/supplier/price-input';
import { issueSentence } from '@/lib/api/errors';
import { nodeGpuCountSchema } from '@/lib/agent/schemas';
import { formatMoney, microsToDecimal } from '@/lib/money';
import { NewNodeProgress, type IssuedToken } from '@/components/supplier/new-node-progress';
import { GPU_MODELS } from '@/lib/market/gpu-models';
import { REGIONS } from '@/lib/market/regions';
import { useCreateRegistrationToken, useSupplierNodes } from '@/lib/queries/supplier';
import { useOfferSummary } from '@/lib/queries/offer-summary';

const controlClass =
  'rounded-md border border-border bg-card px-2 py-1.5 text-sm aria-[invalid=true]:border-danger';

interface FormErrors {
  price?: string;
  gpuCount?: string;
}

/**
 * "Add a node": choose region, price, runner and (for a machine without nvidia-smi) the declared GPUs,
 * create a one-time registration token, then follow the new node from registration to verified. `release`
 * is the bundled agent this server hands out (null when it is not built): its sha256 goes in the commands.
 */
export function AddNode({ release }: { release: AgentReleaseInfo | null }) {
  const id = useId();
  const create = useCreateRegistrationToken();
  const nodes = useSupplierNodes({ enabled: false });
  const [region, setRegion] = useState<string>('us-east');
  const [price, setPrice] = useState('');
  const [runner, setRunner] = useState<AgentRunner>('docker');
  const [declare, setDeclare] = useState(false);
  const [gpuModel, setGpuModel] = useState('rtx-4090-24gb');
  const [gpuCount, setGpuCount] = useState('1');
  const [errors, setErrors] = useState<FormErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [issued, setIssued] = useState<IssuedToken | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next: FormErrors = {};
    const parsed = parsePriceInput(price);
    if ('error' in parsed) next.price = parsed.error;
    const count = Number(gpuCount);
    const countCheck = nodeGpuCountSchema.safeParse(count);
    if (declare && !countCheck.success) next.gpuCount = issueSentence(countCheck.error.issues[0]!);
    setErrors(next);
    setFailure(null);
    if (next.price || next.gpuCount || 'error' in parsed) {
      document.getElementById(next.price ? `${id}-price` : `${id}-count`)?.focus();
      return;
    }
    // The nodes there are now: the first one that is not among them is the machine this token registers.
    const known = (nodes.data?.pages ?? []).flatMap((page) => page.items.map((n) => n.id));
    create.mutate(undefined, {
      onSuccess: (token) => {
        try {
          const commands = buildInstallCommands(
            {
              origin: window.location.origin,
              registrationToken: token.registrationToken,
              region,
              priceMicros: parsed.micros,
              runner,
              gpus: declare ? { model: gpuModel, count } : null,
            },
            release,
          );
          setIssued({ ...token, commands, knownNodeIds: known });
        } catch (error) {
          setFailure(error instanceof Error ? error.message : String(error));
        }
      },
      onError: (error) => setFailure(`Could not create a registration token: ${error.message}`),
    });
  };

  return (
    <Card className="flex flex-col gap-4">
      <div>
        <h2 className="font-semibold">Add a node</h2>
        <p className="mt-1 text-sm text-muted-foreground">
          Each GPU machine runs the Backfill node agent. It registers once with a one-time token, then
          heartbeats the marketplace, runs the jobs placed on it and answers hardware benchmarks. A new node
          is benchmarked at once and listed as verified when it passes.
        </p>
      </div>
      {issued ? (
        <NewNodeProgress
          issued={issued}
          onDone={() => {
            setIssued(null);
            create.reset();
          }}
        />
      ) : (
        <form onSubmit={submit} noValidate className="flex flex-col gap-4">
          <div className="flex flex-wrap items-start gap-4">
            <div className="flex flex-col gap-1">
              <label htmlFor={`${id}-region`} className="text-sm font-medium">
                Region
              </label>
              <select
                id={`${id}-region`}
                value={region}
                onChange={(e) => setRegion(e.target.value)}
                className={controlClass}
              >
                {REGIONS.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="flex max-w-xs flex-col gap-1">
              <label htmlFor={`${id}-price`} className="text-sm font-medium">
                Price (USD per GPU-hour)
              </label>
              <input
                id={`${id}-price`}
                inputMode="decimal"
                autoComplete="off"
                placeholder="e.g. 0.45"
                value={price}
                onChange={(e) => setPrice(e.target.value)}
                aria-invalid={errors.price ? true : undefined}
                aria-describedby={`${id}-price-hint${errors.price ? ` ${id}-price-error` : ''}`}
                className={`${controlClass} w-32`}
              />
              <p id={`${id}-price-hint`} className="text-xs text-muted-foreground">
                What renters pay per GPU-hour; you keep it less the platform fee. You can change it later.
              </p>
              <PriceSuggestion gpuModel={gpuModel} onUse={setPrice} />
              {errors.price ? (
                <p id={`${id}-price-error`} className="text-xs text-danger">
                  {errors.price}
                </p>
              ) : null}
            </div>
            <div className="flex max-w-xs flex-col gap-1">
              <label htmlFor={`${id}-model`} className="text-sm font-medium">
                GPU model
              </label>
              <select
                id={`${id}-model`}
                value={gpuModel}
                onChange={(e) => setGpuModel(e.target.value)}
                aria-describedby={`${id}-model-hint`}
                className={controlClass}
              >
                {GPU_MODELS.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name}
                  </option>
                ))}
              </select>
              <p id={`${id}-model-hint`} className="text-xs text-muted-foreground">
                For the price suggestion below. The agent detects the real GPUs with nvidia-smi (or you
                declare them, below).
              </p>
            </div>
          </div>
          <fieldset className="flex flex-col gap-2">
            <legend className="text-sm font-medium">Runner</legend>
            <label className="flex items-start gap-2 text-sm">
              <input
                type="radio"
                name={`${id}-runner`}
                value="docker"
                checked={runner === 'docker'}
                onChange={() => setRunner('docker')}
                className="mt-1"
              />
              <span>
                Docker (default) — each job in its own container with its GPUs. Needs Docker and the NVIDIA
                Container Toolkit.
              </span>
            </label>
            <label className="flex items-start gap-2 text-sm">
              <input
                type="radio"
                name={`${id}-runner`}
                value="process"
                checked={runner === 'process'}
                onChange={() => setRunner('process')}
                className="mt-1"
              />
              <span>
                Process — runs each job&apos;s command directly on the machine, without isolation. For
                development and tests only, never for strangers&apos; work.
              </span>
            </label>
          </fieldset>
          <div className="flex flex-col gap-2">
            <label className="flex items-start gap-2 text-sm">
              <input
                type="checkbox"
                checked={declare}
                onChange={(e) => setDeclare(e.target.checked)}
                aria-describedby={`${id}-declare-hint`}
                className="mt-1"
              />
              <span>No nvidia-smi on this machine (test box): declare GPUs</span>
            </label>
            <p id={`${id}-declare-hint`} className="text-xs text-muted-foreground">
              Without nvidia-smi the agent cannot detect GPUs, so you declare them. The marketplace&apos;s
              benchmark decides whether the declaration is true; a false one quarantines the node.
            </p>
            {declare ? (
              <div className="flex flex-wrap items-start gap-4">
                <div className="flex flex-col gap-1">
                  <label htmlFor={`${id}-count`} className="text-sm font-medium">
                    GPU count
                  </label>
                  <input
                    id={`${id}-count`}
                    inputMode="numeric"
                    autoComplete="off"
                    value={gpuCount}
                    onChange={(e) => setGpuCount(e.target.value)}
                    aria-invalid={errors.gpuCount ? true : undefined}
                    aria-describedby={errors.gpuCount ? `${id}-count-error` : undefined}
                    className={`${controlClass} w-20`}
                  />
                  {errors.gpuCount ? (
                    <p id={`${id}-count-error`} className="text-xs text-danger">
                      {errors.gpuCount}
                    </p>
                  ) : null}
                </div>
              </div>
            ) : null}
          </div>
          <div>
            <Button type="submit" variant="primary" disabled={create.isPending}>
              {create.isPending ? 'Creating…' : 'Create registration token'}
            </Button>
          </div>
          {failure ? (
            <p role="alert" className="text-sm text-danger">
              {failure}
            </p>
          ) : null}
        </form>
      )}
    </Card>
  );
}

/**
 * The market's price band for the chosen GPU model right now (P10 / median / P90 of the listed offers), with
 * a button that fills in the median: a new supplier starts from what renters pay, not from an empty field.
 */
function PriceSuggestion({ gpuModel, onUse }: { gpuModel: string; onUse: (price: string) => void }) {
  const summary = useOfferSummary();
  if (summary.isPending) return <p className="text-xs text-muted-foreground">Reading the market’s prices…</p>;
  if (summary.error) return null;
  const band = summary.data.models.find((m) => m.gpuModel === gpuModel);
  if (!band?.medianPriceMicros || !band.p10PriceMicros || !band.p90PriceMicros)
    return (
      <p className="text-xs text-muted-foreground">
        No {band?.gpuName ?? 'offers of this model'} listed now: no market price to suggest.
      </p>
    );
  const median = band.medianPriceMicros;
  return (
    <p className="flex flex-wrap items-center gap-2 text-xs" data-testid="price-suggestion">
      <span>
        Market now for {band.gpuName}: P10 {formatMoney(band.p10PriceMicros)} · median {formatMoney(median)} ·
        P90 {formatMoney(band.p90PriceMicros)} ({band.nodesListed} node
        {band.nodesListed === 1 ? '' : 's'}
        {summary.data.simulated ? ', simulated network' : ''}).
      </span>
      <Button className="px-2 py-0.5 text-xs" onClick={() => onUse(microsToDecimal(BigInt(median)))}>
        Use the median
      </Button>
    </p>
  );
}
