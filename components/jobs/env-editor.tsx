import { useId } from 'react';
import type { EnvRow } from '@/components/jobs/launch-form';
import { inputClass } from '@/components/jobs/wizard-field';
import { Button } from '@/components/ui/button';

/** Environment variables as key/value rows; values are sent once and never shown again by the API. */
export function EnvEditor({
  rows,
  error,
  onChange,
}: {
  rows: EnvRow[];
  error?: string;
  onChange: (rows: EnvRow[]) => void;
}) {
  const errorId = useId();
  const update = (id: number, patch: Partial<EnvRow>) =>
    onChange(rows.map((row) => (row.id === id ? { ...row, ...patch } : row)));
  const add = () =>
    onChange([...rows, { id: Math.max(0, ...rows.map((r) => r.id)) + 1, key: '', value: '' }]);
  return (
    <fieldset className="flex flex-col gap-2" aria-describedby={error ? errorId : undefined}>
      <legend className="text-sm font-medium">Environment variables</legend>
      <p className="text-xs text-muted-foreground">
        Passed to the container. Values are stored for the job and never shown again (the job page lists names
        only).
      </p>
      {rows.map((row, i) => (
        <div key={row.id} className="grid grid-cols-[1fr_1fr_auto] items-center gap-2">
          <input
            id={i === 0 ? 'launch-env' : undefined}
            aria-label={`Name of variable ${i + 1}`}
            placeholder="NAME"
            autoComplete="off"
            spellCheck={false}
            className={`${inputClass} font-mono`}
            value={row.key}
            aria-invalid={error ? true : undefined}
            onChange={(e) => update(row.id, { key: e.target.value })}
          />
          <input
            aria-label={`Value of variable ${i + 1}`}
            placeholder="value"
            autoComplete="off"
            spellCheck={false}
            className={`${inputClass} font-mono`}
            value={row.value}
            onChange={(e) => update(row.id, { value: e.target.value })}
          />
          <Button
            className="px-2 py-1 text-xs"
            aria-label={`Remove variable ${i + 1}${row.key ? ` (${row.key})` : ''}`}
            onClick={() => onChange(rows.filter((r) => r.id !== row.id))}
          >
            Remove
          </Button>
        </div>
      ))}
      <div>
        <Button id={rows.length === 0 ? 'launch-env' : undefined} className="px-2 py-1 text-xs" onClick={add}>
          Add a variable
        </Button>
      </div>
      {error ? (
        <p id={errorId} className="text-xs text-danger">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
