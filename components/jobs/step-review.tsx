import { formatMoney, formatUnits, gpuName, regionName, templateName } from '@/components/jobs/job-labels';
import { splitCommand, templateById, type FieldErrors, type LaunchForm } from '@/components/jobs/launch-form';
import type { PinnedNode } from '@/components/jobs/step-hardware';
import { describedBy, Field, fieldId, inputClass } from '@/components/jobs/wizard-field';
import { Button } from '@/components/ui/button';
import { microsToDecimal, parseUsdcToMicros } from '@/lib/money';

/** Step 4: the budget cap (held from the balance at launch) and everything the job will be launched with. */
export function StepReview({
  form,
  errors,
  pinned,
  suggestedBudget,
  onChange,
  onBlur,
}: {
  form: LaunchForm;
  errors: FieldErrors;
  pinned: PinnedNode | null;
  /** From the quote's high estimate; null without one. */
  suggestedBudget: bigint | null;
  onChange: (patch: Partial<LaunchForm>) => void;
  onBlur: (field: keyof LaunchForm) => void;
}) {
  const template = templateById(form.template);
  const envKeys = form.env.map((r) => r.key.trim()).filter(Boolean);
  const maxPrice = form.maxPrice.trim() ? parseUsdcToMicros(form.maxPrice) : null;
  const summary: [string, string][] = [
    ['Template', templateName(form.template)],
    ['Name', form.name.trim() || '—'],
    ['Image', form.image.trim() || '—'],
    ['Command', (splitCommand(form.command) ?? []).join(' ') || '—'],
    ['Environment', envKeys.length ? envKeys.join(', ') : 'none'],
    [
      'Work',
      /^\d+$/.test(form.workUnits.replace(/[\s,_]/g, ''))
        ? formatUnits(Number(form.workUnits.replace(/[\s,_]/g, '')), template.unit)
        : form.workUnits,
    ],
    [
      'GPUs',
      `${form.gpuCount}× ${form.gpuModels.length ? form.gpuModels.map(gpuName).join(' or ') : 'any model'}`,
    ],
    ['Min VRAM', form.minVramGb ? `${form.minVramGb} GB` : 'any'],
    ['Region', form.region ? regionName(form.region) : 'any'],
    ['Max price', maxPrice ? `${formatMoney(maxPrice)}/GPU-hr` : 'no limit'],
    ['Node', form.nodeId ? `pinned to ${pinned?.name ?? form.nodeId}` : 'any that matches'],
  ];
  return (
    <div className="flex flex-col gap-4">
      <Field
        name="budget"
        label="Budget cap (USDC)"
        hint="Held from your available balance at launch. The job stops if it is spent; what is left returns when the job ends."
        error={errors.budget}
      >
        <div className="flex flex-wrap items-center gap-2">
          <input
            id={fieldId('budget')}
            inputMode="decimal"
            autoComplete="off"
            placeholder="e.g. 25"
            className={`${inputClass} max-w-40`}
            value={form.budget}
            aria-invalid={errors.budget ? true : undefined}
            aria-describedby={describedBy('budget', true, errors.budget)}
            onChange={(e) => onChange({ budget: e.target.value })}
            onBlur={() => onBlur('budget')}
          />
          {suggestedBudget !== null ? (
            <Button
              className="px-2 py-1 text-xs"
              onClick={() => onChange({ budget: microsToDecimal(suggestedBudget) })}
            >
              Use {formatMoney(suggestedBudget)} (estimate + 20 %)
            </Button>
          ) : null}
        </div>
      </Field>
      <section aria-labelledby="review-heading" className="rounded-lg border border-border p-3">
        <h3 id="review-heading" className="text-sm font-medium">
          The job you are launching
        </h3>
        <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          {summary.map(([label, value]) => (
            <div key={label} className="contents">
              <dt className="text-muted-foreground">{label}</dt>
              <dd className="break-all">{value}</dd>
            </div>
          ))}
        </dl>
      </section>
    </div>
  );
}
