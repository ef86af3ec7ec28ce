import { useId } from 'react';
import { templateById, type FieldErrors, type LaunchForm } from '@/components/jobs/launch-form';
import { describedBy, Field, fieldId, inputClass } from '@/components/jobs/wizard-field';
import { Button } from '@/components/ui/button';
import { GPU_MODELS } from '@/lib/market/gpu-models';
import { REGIONS } from '@/lib/market/regions';

export interface PinnedNode {
  id: string;
  name: string;
  /** "4× H100 80GB in EU West (Ireland)". */
  summary: string;
}

const VRAM_CHOICES = [0, 8, 12, 16, 24, 40, 48, 80, 141];

/** Step 3: which GPUs may run the job, where, and at most at what price; or the one node it is pinned to. */
export function StepHardware({
  form,
  errors,
  pinned,
  onChange,
  onBlur,
}: {
  form: LaunchForm;
  errors: FieldErrors;
  pinned: PinnedNode | null;
  onChange: (patch: Partial<LaunchForm>) => void;
  onBlur: (field: keyof LaunchForm) => void;
}) {
  const modelsErrorId = useId();
  const template = templateById(form.template);
  const counts = Array.from({ length: 8 - template.minGpuCount + 1 }, (_, i) => i + template.minGpuCount);
  return (
    <div className="flex flex-col gap-4">
      {form.nodeId ? (
        <div
          role="note"
          className="flex flex-wrap items-center justify-between gap-2 rounded-lg border border-accent/40 bg-accent-soft p-3 text-sm"
        >
          <span>
            <strong>Pinned to node {pinned?.name ?? form.nodeId}.</strong>{' '}
            {pinned ? `${pinned.summary}. ` : ''}The job waits for this node and runs nowhere else.
          </span>
          <Button
            id={fieldId('nodeId')}
            className="px-2 py-1 text-xs"
            onClick={() => onChange({ nodeId: null })}
          >
            Unpin: run anywhere that matches
          </Button>
          {errors.nodeId ? <p className="w-full text-xs text-danger">{errors.nodeId}</p> : null}
        </div>
      ) : null}
      <fieldset
        className="flex flex-col gap-1"
        aria-describedby={errors.gpuModels ? modelsErrorId : undefined}
      >
        <legend className="text-sm font-medium">GPU models</legend>
        <p className="text-xs text-muted-foreground">
          Tick the models you accept; none ticked accepts any model.
        </p>
        <div className="mt-1 grid grid-cols-1 gap-x-4 gap-y-1 sm:grid-cols-2">
          {GPU_MODELS.map((model, i) => (
            <label key={model.id} className="flex items-center gap-2 text-sm">
              <input
                id={i === 0 ? fieldId('gpuModels') : undefined}
                type="checkbox"
                checked={form.gpuModels.includes(model.id)}
                onChange={(e) =>
                  onChange({
                    gpuModels: e.target.checked
                      ? GPU_MODELS.filter((m) => m.id === model.id || form.gpuModels.includes(m.id)).map(
                          (m) => m.id,
                        )
                      : form.gpuModels.filter((id) => id !== model.id),
                  })
                }
              />
              {model.name}
              <span className="text-xs text-muted-foreground">{model.vramGb} GB</span>
            </label>
          ))}
        </div>
        {errors.gpuModels ? (
          <p id={modelsErrorId} className="text-xs text-danger">
            {errors.gpuModels}
          </p>
        ) : null}
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          name="gpuCount"
          label="GPUs on one node"
          hint={
            template.minGpuCount > 1 ? `${template.name} needs at least ${template.minGpuCount}.` : undefined
          }
          error={errors.gpuCount}
        >
          <select
            id={fieldId('gpuCount')}
            className={inputClass}
            value={form.gpuCount}
            aria-invalid={errors.gpuCount ? true : undefined}
            aria-describedby={describedBy('gpuCount', template.minGpuCount > 1, errors.gpuCount)}
            onChange={(e) => onChange({ gpuCount: Number(e.target.value) })}
          >
            {counts.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </Field>
        <Field name="minVramGb" label="Minimum VRAM per GPU" error={errors.minVramGb}>
          <select
            id={fieldId('minVramGb')}
            className={inputClass}
            value={form.minVramGb}
            aria-invalid={errors.minVramGb ? true : undefined}
            aria-describedby={describedBy('minVramGb', false, errors.minVramGb)}
            onChange={(e) => onChange({ minVramGb: Number(e.target.value) })}
          >
            {[...new Set([...VRAM_CHOICES, form.minVramGb])]
              .sort((a, b) => a - b)
              .map((gb) => (
                <option key={gb} value={gb}>
                  {gb === 0 ? 'Any' : `${gb} GB`}
                </option>
              ))}
          </select>
        </Field>
        <Field name="region" label="Region" error={errors.region}>
          <select
            id={fieldId('region')}
            className={inputClass}
            value={form.region}
            aria-invalid={errors.region ? true : undefined}
            aria-describedby={describedBy('region', false, errors.region)}
            onChange={(e) => onChange({ region: e.target.value })}
          >
            <option value="">Any region</option>
            {REGIONS.map((region) => (
              <option key={region.id} value={region.id}>
                {region.name}
              </option>
            ))}
          </select>
        </Field>
        <Field
          name="maxPrice"
          label="Max $/GPU-hr (USDC)"
          hint="Leave empty for no limit."
          error={errors.maxPrice}
        >
          <input
            id={fieldId('maxPrice')}
            inputMode="decimal"
            autoComplete="off"
            placeholder="e.g. 2.50"
            className={inputClass}
            value={form.maxPrice}
            aria-invalid={errors.maxPrice ? true : undefined}
            aria-describedby={describedBy('maxPrice', true, errors.maxPrice)}
            onChange={(e) => onChange({ maxPrice: e.target.value })}
            onBlur={() => onBlur('maxPrice')}
          />
        </Field>
      </div>
    </div>
  );
}
