'use client';

import { useId, useRef } from 'react';
import type { InputRow } from '@/components/jobs/launch-form';
import { Button } from '@/components/ui/button';
import { formatBytes } from '@/lib/format';
import { uploadInputFile, type UploadProgress } from '@/lib/queries/files';
import type { JobTemplate } from '@/lib/jobs/templates';

type UpdateInputs = (update: (rows: InputRow[]) => InputRow[]) => void;

const PHASE_LABEL: Record<UploadProgress['phase'], string> = {
  hashing: 'Checking',
  uploading: 'Uploading',
  confirming: 'Confirming',
};

function percent(progress: UploadProgress): number {
  return progress.total === 0 ? 100 : Math.floor((progress.loaded / progress.total) * 100);
}

let nextKey = 0;

/**
 * A browser file name as an input name the API accepts: letters, digits, space, `.`, `_` and `-`, starting
 * with a letter or digit, at most 128 characters (`frame (1).png` → `frame _1_.png`).
 */
export function inputNameFor(fileName: string): string {
  const cleaned = fileName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9 ._-]/g, '_')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 128)
    .trimEnd();
  return cleaned || 'input';
}

/**
 * The job's input files. Each file uploads as soon as it is attached: hashed in the browser (sha256), sent
 * to a signed URL with a progress bar, then checked by the marketplace; the job can be launched once every
 * input is up. Templates with a reference workload (the path tracer) can attach it in one click.
 */
export function InputFiles({
  rows,
  error,
  template,
  signedIn,
  onChange,
}: {
  rows: InputRow[];
  error?: string;
  template: JobTemplate;
  signedIn: boolean;
  onChange: UpdateInputs;
}) {
  const picker = useRef<HTMLInputElement>(null);
  /** Uploads in flight, so removing a row stops its upload (and frees its reservation sooner). */
  const running = useRef(new Map<string, AbortController>());
  const hintId = useId();
  const errorId = useId();

  const upload = (blob: Blob, name: string) => {
    const key = `input-${++nextKey}`;
    const patch = (change: Partial<InputRow>) =>
      onChange((current) => current.map((row) => (row.key === key ? { ...row, ...change } : row)));
    onChange((current) => [
      ...current.filter((row) => row.name !== name),
      {
        key,
        name,
        sizeBytes: blob.size,
        fileId: null,
        progress: { phase: 'hashing', loaded: 0, total: blob.size },
        error: null,
      },
    ]);
    const controller = new AbortController();
    running.current.set(key, controller);
    uploadInputFile(blob, name, (progress) => patch({ progress }), controller.signal)
      .then(
        (file) => patch({ fileId: file.id, progress: null }),
        (failure: unknown) => {
          if (controller.signal.aborted) return;
          patch({ progress: null, error: failure instanceof Error ? failure.message : 'The upload failed.' });
        },
      )
      .finally(() => running.current.delete(key));
  };

  const attachReference = async () => {
    for (const file of template.referenceWorkload?.files ?? []) {
      const response = await fetch(`/workloads/render/${file}`);
      if (!response.ok) {
        onChange((current) => [
          ...current,
          {
            key: `input-${++nextKey}`,
            name: file,
            sizeBytes: 0,
            fileId: null,
            progress: null,
            error: `Could not fetch ${file}.`,
          },
        ]);
        continue;
      }
      upload(await response.blob(), file);
    }
  };

  return (
    <fieldset
      className="flex flex-col gap-2"
      aria-describedby={[hintId, error ? errorId : null].filter(Boolean).join(' ')}
    >
      <legend className="text-sm font-medium">Input files</legend>
      <p id={hintId} className="text-xs text-muted-foreground">
        {template.supplies} Inputs are read-only to the job, in <code>$BACKFILL_INPUT_DIR</code> (
        <code>/backfill/input</code> in a container); each is checked by its sha256 before the job starts.
      </p>
      {rows.length > 0 ? (
        <ul className="flex flex-col gap-2" aria-label="Attached input files">
          {rows.map((row) => (
            <li
              key={row.key}
              className="flex flex-col gap-1 rounded-md border border-border p-2 text-sm"
              data-input={row.name}
            >
              <div className="flex items-center justify-between gap-2">
                <span className="font-mono break-all">{row.name}</span>
                <span className="text-xs text-muted-foreground tabular-nums">
                  {formatBytes(row.sizeBytes)}
                </span>
              </div>
              {row.progress ? (
                <div className="flex items-center gap-2 text-xs">
                  <progress
                    className="h-2 w-full"
                    max={100}
                    value={percent(row.progress)}
                    aria-label={`${PHASE_LABEL[row.progress.phase]} ${row.name}`}
                  />
                  <span className="tabular-nums" aria-live="polite">
                    {PHASE_LABEL[row.progress.phase]} {percent(row.progress)} %
                  </span>
                </div>
              ) : row.error ? (
                <p className="text-xs text-danger" role="alert">
                  {row.error}
                </p>
              ) : (
                <p className="text-xs text-success">Uploaded and checked</p>
              )}
              <div>
                <Button
                  variant="ghost"
                  className="px-2 py-0.5 text-xs"
                  aria-label={`Remove ${row.name}`}
                  onClick={() => {
                    running.current.get(row.key)?.abort();
                    onChange((current) => current.filter((r) => r.key !== row.key));
                  }}
                >
                  Remove
                </Button>
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      {signedIn ? (
        <div className="flex flex-wrap gap-2">
          <input
            ref={picker}
            id="launch-inputs"
            type="file"
            multiple
            className="sr-only"
            aria-label="Choose input files"
            onChange={(event) => {
              for (const file of Array.from(event.target.files ?? [])) upload(file, inputNameFor(file.name));
              event.target.value = '';
            }}
          />
          <Button onClick={() => picker.current?.click()}>Add files…</Button>
          {template.referenceWorkload ? (
            <Button onClick={() => void attachReference()}>Attach the reference renderer</Button>
          ) : null}
        </div>
      ) : (
        <p className="text-xs text-muted-foreground">Sign in to upload input files.</p>
      )}
      {error ? (
        <p id={errorId} className="text-xs text-danger">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
