'use client';

import { useEffect, useId, useState, type ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { GPU_MODELS } from '@/lib/market/gpu-models';
import { hasActiveFilters, type OfferFilters } from '@/lib/market/offer-url';
import { REGIONS } from '@/lib/market/regions';
import { VERIFIED_WITHIN, VERIFIED_WITHIN_LABELS } from '@/lib/market/verification-recency';

type Patch = Partial<Omit<OfferFilters, 'sort' | 'order' | 'cursor'>>;

const selectClass = 'w-full rounded-md border border-border bg-card px-2 py-1.5 text-sm';

function Field({ label, children, id }: { label: string; children: ReactNode; id: string }) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-xs font-medium text-muted-foreground">
        {label}
      </label>
      {children}
    </div>
  );
}

function Choice({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string | undefined;
  options: [string, string][];
  onChange: (value: string | undefined) => void;
}) {
  const id = useId();
  return (
    <Field label={label} id={id}>
      <select
        id={id}
        className={selectClass}
        value={value ?? ''}
        onChange={(e) => onChange(e.target.value || undefined)}
      >
        <option value="">Any</option>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </Field>
  );
}

function CheckboxGroup({
  legend,
  items,
  selected,
  onChange,
}: {
  legend: string;
  items: readonly { id: string; name: string }[];
  selected: string[];
  onChange: (next: string[]) => void;
}) {
  return (
    <fieldset className="flex flex-col gap-1">
      <legend className="mb-1 text-xs font-medium text-muted-foreground">{legend}</legend>
      <div className="grid grid-cols-2 gap-x-3 gap-y-1 sm:grid-cols-1">
        {items.map((item) => (
          <label key={item.id} className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              checked={selected.includes(item.id)}
              onChange={(e) =>
                onChange(
                  e.target.checked
                    ? items.filter((i) => i.id === item.id || selected.includes(i.id)).map((i) => i.id)
                    : selected.filter((s) => s !== item.id),
                )
              }
            />
            {item.name}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** A decimal input that reports its value after typing pauses, so each keystroke isn't a request. */
function MaxPriceInput({
  value,
  onChange,
}: {
  value: string | undefined;
  onChange: (value: string | undefined) => void;
}) {
  const id = useId();
  const [text, setText] = useState(value ?? '');
  const [synced, setSynced] = useState(value);
  if (value !== synced) {
    setSynced(value);
    setText(value ?? '');
  }
  useEffect(() => {
    if ((text || undefined) === value) return;
    const timer = setTimeout(() => onChange(text.trim() || undefined), 350);
    return () => clearTimeout(timer);
  }, [text, value, onChange]);
  return (
    <Field label="Max $/GPU-hr" id={id}>
      <input
        id={id}
        inputMode="decimal"
        placeholder="e.g. 2.50"
        className={selectClass}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
    </Field>
  );
}

type ChoiceKey =
  | 'minGpus'
  | 'minVram'
  | 'minReliability'
  | 'interconnect'
  | 'minBandwidth'
  | 'minCpuCores'
  | 'minRam'
  | 'minDisk'
  | 'minCuda';

/** A single-choice filter whose value goes to the URL as chosen. */
interface ChoiceFilter {
  key: ChoiceKey;
  label: string;
  options: [string, string][];
}

const plus = (values: string[], unit = ''): [string, string][] => values.map((v) => [v, `${v}${unit}+`]);

/** The choices above the verification ones: how much GPU, and how dependable. */
const GPU_CHOICES: ChoiceFilter[] = [
  { key: 'minGpus', label: 'Min free GPUs', options: [...plus(['1', '2', '4']), ['8', '8']] },
  {
    key: 'minVram',
    label: 'Min VRAM per GPU',
    options: [...plus(['24', '40', '48', '80'], ' GB'), ['141', '141 GB']],
  },
  {
    key: 'minReliability',
    label: 'Min reliability (30 days)',
    options: plus(['90', '95', '98', '99', '99.5'], '%'),
  },
];

/** The host around the GPUs: interconnect, network, CPU, memory, disk and driver. */
const HOST_CHOICES: ChoiceFilter[] = [
  {
    key: 'interconnect',
    label: 'Interconnect',
    options: [
      ['nvlink', 'NVLink'],
      ['pcie', 'PCIe'],
    ],
  },
  {
    key: 'minBandwidth',
    label: 'Min network',
    options: [
      ['1000', '1 Gbps+'],
      ['5000', '5 Gbps+'],
      ['10000', '10 Gbps+'],
      ['25000', '25 Gbps+'],
    ],
  },
  { key: 'minCpuCores', label: 'Min CPU cores', options: plus(['8', '16', '32', '64', '128']) },
  {
    key: 'minRam',
    label: 'Min RAM',
    options: [...plus(['32', '64', '128', '256', '512'], ' GB'), ['1024', '1 TB+']],
  },
  {
    key: 'minDisk',
    label: 'Min disk',
    options: [
      ['500', '500 GB+'],
      ...['1', '2', '4', '8'].map((tb): [string, string] => [`${tb}000`, `${tb} TB+`]),
    ],
  },
  { key: 'minCuda', label: 'Min CUDA', options: plus(['11.8', '12.0', '12.4', '12.8', '13.0']) },
];

export function OfferFiltersPanel({
  filters,
  onChange,
  onClear,
}: {
  filters: OfferFilters;
  onChange: (patch: Patch) => void;
  onClear: () => void;
}) {
  const choice = ({ key, label, options }: ChoiceFilter) => (
    <Choice
      key={key}
      label={label}
      value={filters[key]}
      options={options}
      onChange={(value) => onChange({ [key]: value } as Pick<Patch, ChoiceKey>)}
    />
  );
  return (
    <form
      role="search"
      aria-label="Filter offers"
      className="flex flex-col gap-4"
      onSubmit={(e) => e.preventDefault()}
    >
      <CheckboxGroup
        legend="GPU model"
        items={GPU_MODELS}
        selected={filters.gpu}
        onChange={(gpu) => onChange({ gpu })}
      />
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-1">
        <MaxPriceInput value={filters.maxPrice} onChange={(maxPrice) => onChange({ maxPrice })} />
        {GPU_CHOICES.map(choice)}
        <Choice
          label="Verification"
          value={filters.verified}
          options={[
            ['true', 'Verified only'],
            ['false', 'Unverified only'],
          ]}
          onChange={(value) => {
            const verified = value as OfferFilters['verified'];
            // Recency only applies to verified nodes: asking for unverified ones drops it.
            onChange(verified === 'false' ? { verified, verifiedWithin: undefined } : { verified });
          }}
        />
        <Choice
          label="Verified within"
          value={filters.verifiedWithin}
          options={VERIFIED_WITHIN.map((w): [string, string] => [w, VERIFIED_WITHIN_LABELS[w]])}
          onChange={(value) => {
            const verifiedWithin = value as OfferFilters['verifiedWithin'];
            onChange(
              verifiedWithin && filters.verified === 'false'
                ? { verifiedWithin, verified: undefined }
                : { verifiedWithin },
            );
          }}
        />
        {HOST_CHOICES.map(choice)}
      </div>
      <CheckboxGroup
        legend="Region"
        items={REGIONS}
        selected={filters.region}
        onChange={(region) => onChange({ region })}
      />
      <Button onClick={onClear} disabled={!hasActiveFilters(filters)}>
        Clear filters
      </Button>
    </form>
  );
}
