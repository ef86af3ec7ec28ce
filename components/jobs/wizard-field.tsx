import type { ReactNode } from 'react';

export const inputClass =
  'w-full rounded-md border border-border bg-card px-2 py-1.5 text-sm aria-[invalid=true]:border-danger';

/** The id of a wizard field's control, so error summaries can link to it. */
export function fieldId(name: string): string {
  return `launch-${name}`;
}

/**
 * A labelled control with an optional hint and error. The control gets `id`, and should set
 * `aria-describedby={describedBy(name, hint, error)}` and `aria-invalid`.
 */
export function Field({
  name,
  label,
  hint,
  error,
  children,
}: {
  name: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  children: ReactNode;
}) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={fieldId(name)} className="text-sm font-medium">
        {label}
      </label>
      {children}
      {hint ? (
        <p id={`${fieldId(name)}-hint`} className="text-xs text-muted-foreground">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${fieldId(name)}-error`} className="text-xs text-danger">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** `aria-describedby` of a field's control: its hint and error paragraphs, when shown. */
export function describedBy(name: string, hint: boolean, error: string | undefined): string | undefined {
  const ids = [hint ? `${fieldId(name)}-hint` : null, error ? `${fieldId(name)}-error` : null].filter(
    Boolean,
  );
  return ids.length ? ids.join(' ') : undefined;
}
