import type { Metadata } from 'next';
import { ApiReference, groupByTag, tagAnchor } from '@/components/docs/api-reference';
import { DocText } from '@/components/docs/markdown';
import { ScrollRegion } from '@/components/ui/scroll-region';
import { TableHead } from '@/components/ui/table-head';
import { buildOpenApiDocument } from '@/lib/api/openapi';
import { operationsOf, schemasOf, type OperationView } from '@/lib/api/openapi-view';
import { API_KEY_SCOPE_DESCRIPTIONS, API_KEY_SCOPES, DEFAULT_API_KEY_SCOPES } from '@/lib/auth/scopes';

export const metadata: Metadata = { title: 'API reference' };

const GUIDES = [
  { id: 'authentication', title: 'Authentication' },
  { id: 'clients', title: 'Command line and libraries' },
  { id: 'conventions', title: 'Conventions' },
];

function Contents({ groups }: { groups: [string, OperationView[]][] }) {
  return (
    <ol className="flex flex-col gap-2 text-sm">
      {GUIDES.map((g) => (
        <li key={g.id}>
          <a href={`#${g.id}`} className="font-medium hover:underline">
            {g.title}
          </a>
        </li>
      ))}
      {groups.map(([tag, ops]) => (
        <li key={tag}>
          <a href={`#${tagAnchor(tag)}`} className="font-medium hover:underline">
            {tag}
          </a>
          <ol className="mt-1 flex flex-col gap-0.5 border-l border-border pl-3">
            {ops.map((op) => (
              <li key={op.id}>
                <a href={`#${op.id}`} className="text-muted-foreground hover:text-foreground hover:underline">
                  <span className="font-mono text-[0.7rem]">{op.method}</span> {op.summary}
                </a>
              </li>
            ))}
          </ol>
        </li>
      ))}
      <li>
        <a href="#schemas" className="font-medium hover:underline">
          Schemas
        </a>
      </li>
    </ol>
  );
}

const code = 'rounded bg-muted px-1 py-0.5 font-mono text-[0.85em]';
const block = 'p-3 font-mono text-xs leading-relaxed';

function Guides() {
  return (
    <>
      <section
        id="authentication"
        aria-labelledby="authentication-title"
        className="flex scroll-mt-4 flex-col gap-3"
      >
        <h2 id="authentication-title" className="text-lg font-semibold">
          Authentication
        </h2>
        <p className="text-sm">
          Public reads (offers, nodes, metrics, quotes) need nothing. Everything about an account takes one
          of:
        </p>
        <ul className="flex list-disc flex-col gap-1 pl-5 text-sm">
          <li>
            <strong>An API key</strong>, for programs:{' '}
            <code className={code}>Authorization: Bearer bfk_…</code>. Create and revoke keys on{' '}
            <a href="/account" className="text-accent underline">
              your account page
            </a>
            ; a key is shown once. Each key has scopes, and each operation below names the one it needs. New
            keys get {DEFAULT_API_KEY_SCOPES.map((s) => `“${s}”`).join(' and ')} unless you choose others.
          </li>
          <li>
            <strong>A wallet session</strong>, for the dashboard: Sign-In with Ethereum sets an HttpOnly
            cookie. Changes made with the cookie must come from this site with a JSON body. Keys can be
            managed only this way.
          </li>
          <li>
            <strong>A node token</strong> (<code className={code}>bfn_…</code>), for the node agent only: it
            acts for its own node.
          </li>
        </ul>
        <ScrollRegion label="API key scopes" className="">
          <table className="w-full min-w-[480px] text-sm">
            <caption className="sr-only">API key scopes</caption>
            <TableHead columns={['Scope', 'Allows']} />
            <tbody>
              {API_KEY_SCOPES.map((scope) => (
                <tr key={scope} className="border-t border-border align-top">
                  <td className="py-1.5 pr-3 font-mono">{scope}</td>
                  <td className="py-1.5">{API_KEY_SCOPE_DESCRIPTIONS[scope]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
        <p className="text-sm">
          No credentials, or a revoked key: <code className={code}>401</code>. A key without the operation’s
          scope: <code className={code}>403</code>, naming the scope. Another account’s resource:{' '}
          <code className={code}>404</code>, as if it did not exist.
        </p>
        <ScrollRegion
          label="Example: a request with an API key"
          className="rounded-md border border-border bg-muted"
        >
          <pre className={block}>
            <code>{`export BACKFILL_API_URL=https://your-marketplace.example BACKFILL_API_KEY=bfk_…
curl -H "Authorization: Bearer $BACKFILL_API_KEY" "$BACKFILL_API_URL/api/v1/balance"`}</code>
          </pre>
        </ScrollRegion>
      </section>

      <section id="clients" aria-labelledby="clients-title" className="flex scroll-mt-4 flex-col gap-3">
        <h2 id="clients-title" className="text-lg font-semibold">
          Command line and libraries
        </h2>
        <p className="text-sm">
          The <code className={code}>backfill</code> command line and the Python package do the common work in
          one step each: log in with a key, list offers, quote and launch a spec file (uploading its local
          inputs), watch a job live, read its logs, download its outputs (checked by sha256), cancel. Both are
          in the repository: <code className={code}>clients/typescript</code> (Node.js 20; one file with{' '}
          <code className={code}>npm run build:cli</code>) and <code className={code}>clients/python</code>{' '}
          (Python 3.9, standard library only). The TypeScript client is generated from this API’s OpenAPI
          document, so every operation below is typed.
        </p>
        <ScrollRegion label="Example: the command line" className="rounded-md border border-border bg-muted">
          <pre className={block}>
            <code>{`backfill login --api-url "$BACKFILL_API_URL" --key "$BACKFILL_API_KEY"
backfill offers --gpu h100-80gb --verified --sort price_per_work
backfill launch job.json --watch
backfill outputs <job id> --download results/

pip install ./clients/python   # the same commands, and: import backfill`}</code>
          </pre>
        </ScrollRegion>
      </section>

      <section
        id="conventions"
        aria-labelledby="conventions-title"
        className="flex scroll-mt-4 flex-col gap-3"
      >
        <h2 id="conventions-title" className="text-lg font-semibold">
          Conventions
        </h2>
        <ul className="flex list-disc flex-col gap-1 pl-5 text-sm">
          <li>
            JSON in and out. Money is integer micro-USDC in strings (
            <code className={code}>&quot;2250000&quot;</code> is 2.25 USDC).
          </li>
          <li>
            Every error is <code className={code}>{'{ "error": { "code", "message", "fields"? } }'}</code>;
            invalid input is a <code className={code}>400</code> naming each field, unknown parameters
            included.
          </li>
          <li>
            Lists are keyset pages: pass <code className={code}>nextCursor</code> back as{' '}
            <code className={code}>cursor</code>.
          </li>
          <li>
            Launches and money movements take an <code className={code}>Idempotency-Key</code> header: a retry
            returns the first answer instead of acting twice.
          </li>
          <li>
            Busy endpoints answer <code className={code}>429</code> with{' '}
            <code className={code}>Retry-After</code>.
          </li>
        </ul>
      </section>
    </>
  );
}

export default function ApiDocsPage() {
  const document = buildOpenApiDocument() as unknown as Record<string, unknown>;
  const info = document.info as { title: string; version: string; description: string };
  const tags = new Map(
    ((document.tags ?? []) as { name: string; description?: string }[]).map((t) => [
      t.name,
      t.description ?? '',
    ]),
  );
  const operations = operationsOf(document);
  const groups = groupByTag(operations);
  return (
    <div className="flex flex-col gap-6">
      <header>
        <h1 className="text-2xl font-semibold tracking-tight">{info.title}</h1>
        <div className="mt-1 text-sm text-muted-foreground">
          Version {info.version}. <DocText text={info.description} inline />
        </div>
        <p className="mt-2 text-sm">
          Machine-readable:{' '}
          <a href="/api/v1/openapi.json" className="text-accent underline">
            /api/v1/openapi.json
          </a>{' '}
          (OpenAPI 3.1).
        </p>
      </header>
      <div className="grid gap-8 lg:grid-cols-[15rem_minmax(0,1fr)]">
        <nav
          aria-label="Contents"
          className="lg:sticky lg:top-4 lg:max-h-[calc(100vh-2rem)] lg:self-start lg:overflow-y-auto"
        >
          <details className="rounded-lg border border-border p-3 lg:hidden">
            <summary className="cursor-pointer text-sm font-medium">Contents</summary>
            <div className="mt-3">
              <Contents groups={groups} />
            </div>
          </details>
          <div className="hidden lg:block">
            <h2 className="mb-2 text-xs font-medium text-muted-foreground uppercase">Contents</h2>
            <Contents groups={groups} />
          </div>
        </nav>
        <div className="flex min-w-0 flex-col gap-8">
          <Guides />
          <ApiReference operations={operations} schemas={schemasOf(document)} tagDescriptions={tags} />
        </div>
      </div>
    </div>
  );
}
