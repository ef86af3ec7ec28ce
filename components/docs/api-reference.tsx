import { Badge } from '@/components/ui/badge';
import type { OperationView, SchemaView } from '@/lib/api/openapi-view';
import { TableHead } from '@/components/ui/table-head';

function Operation({ op }: { op: OperationView }) {
  return (
    <article id={op.id} className="scroll-mt-4 rounded-lg border border-border p-4">
      <h3 className="flex flex-wrap items-center gap-2 font-mono text-sm">
        <Badge tone="accent">{op.method}</Badge>
        <span>{op.path}</span>
      </h3>
      <p className="mt-2 font-medium">{op.summary}</p>
      {op.description ? <p className="mt-1 text-sm text-muted-foreground">{op.description}</p> : null}
      {op.parameters.length > 0 ? (
        <div className="relative mt-3 overflow-x-auto">
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
                  <td className="py-1.5">{p.description}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <h4 className="mt-3 text-xs font-medium text-muted-foreground">Responses</h4>
      <ul className="mt-1 text-sm">
        {op.responses.map((r) => (
          <li key={r.status}>
            <span className="font-mono">{r.status}</span>{' '}
            {r.type ? <code className="text-xs">{r.type}</code> : null} — {r.description}
          </li>
        ))}
      </ul>
    </article>
  );
}

function Schema({ schema }: { schema: SchemaView }) {
  return (
    <article id={`schema-${schema.name}`} className="scroll-mt-4 rounded-lg border border-border p-4">
      <h3 className="font-mono text-sm font-semibold">{schema.name}</h3>
      {schema.description ? <p className="mt-1 text-sm text-muted-foreground">{schema.description}</p> : null}
      {schema.enumValues.length > 0 ? (
        <p className="mt-2 font-mono text-xs">{schema.enumValues.join(' · ')}</p>
      ) : null}
      {schema.properties.length > 0 ? (
        <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          {schema.properties.map((p) => (
            <div key={p.name} className="contents">
              <dt className="font-mono">
                {p.name}
                {p.required ? '' : '?'}
              </dt>
              <dd>
                <code className="text-xs">{p.type}</code>
                {p.description ? <span className="text-muted-foreground"> — {p.description}</span> : null}
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
}: {
  operations: OperationView[];
  schemas: SchemaView[];
}) {
  const tags = [...new Set(operations.map((o) => o.tag))];
  return (
    <div className="flex flex-col gap-8">
      {tags.map((tag) => (
        <section key={tag} aria-labelledby={`tag-${tag}`} className="flex flex-col gap-3">
          <h2 id={`tag-${tag}`} className="text-lg font-semibold">
            {tag}
          </h2>
          {operations
            .filter((o) => o.tag === tag)
            .map((op) => (
              <Operation key={op.id} op={op} />
            ))}
        </section>
      ))}
      <section aria-labelledby="schemas" className="flex flex-col gap-3">
        <h2 id="schemas" className="text-lg font-semibold">
          Schemas
        </h2>
        {schemas.map((s) => (
          <Schema key={s.name} schema={s} />
        ))}
      </section>
    </div>
  );
}
