'use client';

import { useId, useRef, useState, type FormEvent } from 'react';
import { EmptyState, ErrorState, ListSkeleton } from '@/components/billing/list-states';
import { formatTimestamp } from '@/components/billing/format';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { Card } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { ScrollRegion } from '@/components/ui/scroll-region';
import { TableHead } from '@/components/ui/table-head';
import { createApiKeyRequestSchema, type ApiKeyView, type CreatedApiKey } from '@/lib/auth/schemas';
import {
  API_KEY_SCOPES,
  API_KEY_SCOPE_DESCRIPTIONS,
  DEFAULT_API_KEY_SCOPES,
  type ApiKeyScope,
} from '@/lib/auth/scopes';
import { useApiKeys, useCreateApiKey, useRevokeApiKey } from '@/lib/queries/api-keys';

/** API keys of the signed-in account: create one (shown once), see when each was last used, revoke. */
export function ApiKeysPanel() {
  const keys = useApiKeys();
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  return (
    <div className="flex flex-col gap-4">
      {created ? <NewKey created={created} onDone={() => setCreated(null)} /> : null}
      <CreateKeyForm onCreated={setCreated} />
      <Card className="flex flex-col gap-3">
        <h2 className="font-semibold">Your API keys</h2>
        {keys.isPending ? (
          <ListSkeleton />
        ) : keys.error ? (
          <ErrorState
            message={`Could not load your API keys: ${keys.error.message}`}
            onRetry={() => void keys.refetch()}
          />
        ) : keys.data.length === 0 ? (
          <EmptyState>
            No API keys yet. Create one above to use the API, the CLI or the Python package.
          </EmptyState>
        ) : (
          <KeyTable keys={keys.data} />
        )}
      </Card>
    </div>
  );
}

function CreateKeyForm({ onCreated }: { onCreated: (key: CreatedApiKey) => void }) {
  const nameId = useId();
  const errorId = useId();
  const create = useCreateApiKey();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiKeyScope[]>([...DEFAULT_API_KEY_SCOPES]);
  const [error, setError] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    // The API's own request schema: the same rules here as on the server.
    const parsed = createApiKeyRequestSchema.safeParse({ name, scopes });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return setError(
        issue?.path[0] === 'scopes' ? 'Choose at least one scope.' : `Name: ${issue?.message ?? 'invalid'}.`,
      );
    }
    create.mutate(parsed.data, {
      onSuccess: (key) => {
        setName('');
        setScopes([...DEFAULT_API_KEY_SCOPES]);
        onCreated(key);
      },
      onError: (e) => setError(e.message),
    });
  };

  return (
    <Card className="flex flex-col gap-3">
      <h2 className="font-semibold">Create an API key</h2>
      <p className="text-sm text-muted-foreground">
        Send it as <code className="font-mono">Authorization: Bearer bfk_…</code>. Give each key only the
        scopes its job needs: a key for a notebook that launches jobs does not need to move money.
      </p>
      <form onSubmit={submit} noValidate className="flex flex-col gap-3">
        <div className="flex flex-col gap-1">
          <label htmlFor={nameId} className="text-xs font-medium text-muted-foreground">
            Name
          </label>
          <input
            id={nameId}
            value={name}
            maxLength={64}
            autoComplete="off"
            placeholder="e.g. training notebook"
            onChange={(e) => setName(e.target.value)}
            aria-invalid={error?.startsWith('Name') ? true : undefined}
            aria-describedby={error ? errorId : undefined}
            className="w-full max-w-sm rounded-md border border-border bg-card px-2 py-1.5 text-sm"
          />
        </div>
        <fieldset className="flex flex-col gap-2">
          <legend className="text-xs font-medium text-muted-foreground">Scopes</legend>
          {API_KEY_SCOPES.map((scope) => (
            <label key={scope} className="flex items-start gap-2 text-sm">
              <input
                type="checkbox"
                className="mt-1"
                checked={scopes.includes(scope)}
                onChange={(e) =>
                  setScopes((current) =>
                    e.target.checked
                      ? API_KEY_SCOPES.filter((s) => s === scope || current.includes(s))
                      : current.filter((s) => s !== scope),
                  )
                }
              />
              <span>
                <span className="font-mono font-medium">{scope}</span>{' '}
                <span className="text-muted-foreground">— {API_KEY_SCOPE_DESCRIPTIONS[scope]}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <div>
          <Button type="submit" variant="primary" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create key'}
          </Button>
        </div>
        {error ? (
          <p id={errorId} role="alert" className="text-sm text-danger">
            {error}
          </p>
        ) : null}
      </form>
    </Card>
  );
}

/** The new key, once: it is not stored anywhere it could be shown again. */
function NewKey({ created, onDone }: { created: CreatedApiKey; onDone: () => void }) {
  return (
    <section
      aria-labelledby="new-key-heading"
      className="flex flex-col gap-3 rounded-lg border border-success/50 bg-success-soft p-4"
    >
      <h2 id="new-key-heading" className="font-semibold">
        Your new key “{created.name}”
      </h2>
      <p className="text-sm">
        Copy it now: this is the only time it is shown. Only a hash of it is kept, so if you lose it, revoke
        it and create another.
      </p>
      <ScrollRegion label="New API key" className="rounded-md border border-border bg-card">
        <code data-testid="new-api-key" className="block p-2 font-mono text-sm whitespace-nowrap">
          {created.key}
        </code>
      </ScrollRegion>
      <div className="flex flex-wrap items-center gap-2">
        <CopyButton text={created.key} label="Copy key" variant="primary" />
        <Button onClick={onDone}>I have saved it</Button>
      </div>
    </section>
  );
}

function KeyTable({ keys }: { keys: ApiKeyView[] }) {
  const revoke = useRevokeApiKey();
  const dialog = useRef<HTMLDialogElement>(null);
  const [target, setTarget] = useState<ApiKeyView | null>(null);
  return (
    <>
      <ScrollRegion label="API keys">
        <table className="w-full text-sm">
          <TableHead
            columns={['Name', 'Key', 'Scopes', 'Created', 'Last used', 'State', '']}
            cellClassName="px-3 py-2"
          />
          <tbody>
            {keys.map((key) => (
              <tr key={key.id} className="border-t border-border">
                <td className="px-3 py-2 font-medium">{key.name}</td>
                <td className="px-3 py-2 font-mono whitespace-nowrap">{key.prefix}…</td>
                <td className="px-3 py-2 font-mono">{key.scopes.join(', ')}</td>
                <td className="px-3 py-2 whitespace-nowrap">{formatTimestamp(key.createdAt)}</td>
                <td className="px-3 py-2 whitespace-nowrap">
                  {key.lastUsedAt ? formatTimestamp(key.lastUsedAt) : 'Never'}
                </td>
                <td className="px-3 py-2 whitespace-nowrap">
                  {key.revokedAt ? `Revoked ${formatTimestamp(key.revokedAt)}` : 'Active'}
                </td>
                <td className="px-3 py-2 text-right">
                  {key.revokedAt ? null : (
                    <Button
                      className="px-2 py-1 text-xs text-danger"
                      aria-label={`Revoke ${key.name}`}
                      disabled={revoke.isPending}
                      onClick={() => {
                        setTarget(key);
                        dialog.current?.showModal();
                      }}
                    >
                      Revoke
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      {revoke.error ? (
        <p role="alert" className="text-sm text-danger">
          Could not revoke the key: {revoke.error.message}
        </p>
      ) : null}
      <ConfirmDialog
        dialogRef={dialog}
        title={`Revoke “${target?.name ?? ''}”?`}
        keepLabel="Keep the key"
        confirmLabel="Revoke key"
        onConfirm={() => {
          if (target) revoke.mutate(target.id);
        }}
      >
        Anything using this key — a script, a notebook, the CLI — is refused from the next request on. This
        cannot be undone.
      </ConfirmDialog>
    </>
  );
}
