import { CodeExamples } from '@/components/docs/code-examples';
import { DocText } from '@/components/docs/markdown';
import { Badge } from '@/components/ui/badge';
import { ScrollRegion } from '@/components/ui/scroll-region';
import { TableHead } from '@/components/ui/table-head';
import type { OperationAccess } from '@/lib/api/openapi-examples';
import type { OperationView, SchemaView } from '@/lib/api/openapi-view';

export const tagAnchor = (tag: string) => `tag-${tag.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;

/** The tags in the document's order, with their operations. */
export function groupByTag(operations: OperationView[]): [string, OperationView[]][] {
  const groups = new Map<string, OperationView[]>();
  for (const op of operations) groups.set(op.tag, [...(groups.get(op.tag) ?? []), op]);
  return [...groups];
}

function accessLabel(access: OperationAccess): string {
  switch (access.kind) {
    case 'public':
      return 'Public: no credentials';
    case 'key':
      return `API key with “${access.scope}”, or a wallet session`;
    case 'session':
      return 'Wallet session only (the dashboard)';
    case 'node':
      return 'Node token (the agent)';
  }
}

/** A type label, linked to its schema below when it names one. */
function TypeRef({ label, schemas }: { label: string; schemas: Set<string> }) {
  const name = label.replace(/\[\]$/, '');
  return schemas.has(name) ? (
    <a href={`#schema-${name}`} className="font-mono text-xs text-accent underline">
      {label}
    </a>
  ) : (
    <code className="text-xs">{label}</code>
  );
}

function Operation({ op, schemas }: { op: OperationView; schemas: Set<string> }) {
  const title = `${op.method} ${op.path}`;
  return (
    <article
      id={op.id}
      aria-labelledby={`${op.id}-title`}
      className="scroll-mt-4 rounded-lg border border-border p-4"
    >
      <h3 id={`${op.id}-title`} className="flex flex-wrap items-center gap-2 font-mono text-sm break-all">
        <Badge tone="accent">{op.method}</Badge>
        <span>{op.path}</span>
      </h3>
      <p className="mt-2 font-medium">{op.summary}</p>
      <p className="mt-1 text-xs text-muted-foreground">{accessLabel(op.access)}</p>
      {op.description ? (
        <div className="mt-2 text-sm text-muted-foreground">
          <DocText text={op.description} />
        </div>
      ) : null}
      {op.parameters.length > 0 ? (
        <ScrollRegion label={`${title}: parameters`} className="mt-3">
          <table className="w-full min-w-[560px] text-sm">
            <caption className="mb-1 text-left text-xs font-medium text-muted-foreground">Parameters</caption>
            <TableHead columns={['Name', 'In', 'Type', 'Description']} />
            <tbody>
              {op.parameters.map((p) => (
                <tr key={`${p.in}:${p.name}`} className="border-t border-border align-top">
                  <td className="py-1.5 pr-3 font-mono">
                    {p.name}
                    {p.required ? <span className="text-danger"> *</span> : null}
                  </td>
                  <td className="py-1.5 pr-3">{p.in}</td>
                  <td className="py-1.5 pr-3 font-mono text-xs">{p.type}</td>
                  <td className="py-1.5">
                    <DocText text={p.description} inline />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      ) : null}
      {op.requestBody ? (
        <p className="mt-3 text-sm">
          <span className="text-xs font-medium text-muted-foreground">Body (JSON): </span>
          <TypeRef label={op.requestBody} schemas={schemas} />
        </p>
      ) : null}
      <h4 className="mt-3 text-xs font-medium text-muted-foreground">Responses</h4>
      <ul className="mt-1 text-sm">
        {op.responses.map((r) => (
          <li key={r.status}>
            <span className="font-mono">{r.status}</span>{' '}
            {r.type ? <TypeRef label={r.type} schemas={schemas} /> : null} —{' '}
            <DocText text={r.description} inline />
          </li>
        ))}
      </ul>
      <CodeExamples examples={op.examples} operation={title} />
    </article>
  );
}

function Schema({ schema, schemas }: { schema: SchemaView; schemas: Set<string> }) {
  return (
    <article id={`schema-${schema.name}`} className="scroll-mt-4 rounded-lg border border-border p-4">
      <h3 className="font-mono text-sm font-semibold">{schema.name}</h3>
      {schema.description ? (
        <div className="mt-1 text-sm text-muted-foreground">
          <DocText text={schema.description} />
        </div>
      ) : null}
      {schema.enumValues.length > 0 ? (
        <p className="mt-2 font-mono text-xs break-words">{schema.enumValues.join(' · ')}</p>
      ) : null}
      {schema.properties.length > 0 ? (
        <dl className="mt-2 grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
          {schema.properties.map((p) => (
            <div key={p.name} className="contents">
              <dt className="font-mono break-all">
                {p.name}
                {p.required ? '' : '?'}
              </dt>
              <dd className="mb-1 break-words sm:mb-0">
                <TypeRef label={p.type} schemas={schemas} />
                {p.description ? (
                  <span className="text-muted-foreground">
                    {' '}
                    — <DocText text={p.description} inline />
                  </span>
                ) : null}
              </dd>
            </div>
          ))}
        </dl>
      ) : null}
    </article>
  );
}

export function ApiReference({
  operations,
  schemas,
  tagDescriptions,
}: {
  operations: OperationView[];
  schemas: SchemaView[];
  tagDescriptions: Map<string, string>;
}) {
  const names = new Set(schemas.map((s) => s.name));
  return (
    <div className="flex flex-col gap-8">
      {groupByTag(operations).map(([tag, ops]) => (
        <section key={tag} aria-labelledby={tagAnchor(tag)} className="flex flex-col gap-3">
          <h2 id={tagAnchor(tag)} className="scroll-mt-4 text-lg font-semibold">
            {tag}
          </h2>
          {tagDescriptions.get(tag) ? (
            <div className="text-sm text-muted-foreground">
              <DocText text={tagDescriptions.get(tag) ?? ''} />
            </div>
          ) : null}
          {ops.map((op) => (
            <Operation key={op.id} op={op} schemas={names} />
          ))}
        </section>
      ))}
      <section aria-labelledby="schemas" className="flex flex-col gap-3">
        <h2 id="schemas" className="scroll-mt-4 text-lg font-semibold">
          Schemas
        </h2>
        {schemas.map((s) => (
          <Schema key={s.name} schema={s} schemas={names} />
        ))}
      </section>
    </div>
  );
}
