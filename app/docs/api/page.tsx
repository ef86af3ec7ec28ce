import type { Metadata } from 'next';
import { ApiReference } from '@/components/docs/api-reference';
import { buildOpenApiDocument } from '@/lib/api/openapi';
import { operationsOf, schemasOf } from '@/lib/api/openapi-view';

export const metadata: Metadata = { title: 'API reference' };

export default function ApiDocsPage() {
  const document = buildOpenApiDocument() as unknown as Record<string, unknown>;
  const info = document.info as { title: string; version: string; description: string };
  return (
    <div className="flex flex-col gap-6">
      <header>
        <h1 className="text-2xl font-semibold tracking-tight">{info.title}</h1>
        <p className="mt-1 text-sm text-muted-foreground">
          Version {info.version}. {info.description}
        </p>
        <p className="mt-2 text-sm">
          Machine-readable:{' '}
          <a href="/api/v1/openapi.json" className="text-accent underline">
            /api/v1/openapi.json
          </a>{' '}
          (OpenAPI 3.1).
        </p>
      </header>
      <ApiReference operations={operationsOf(document)} schemas={schemasOf(document)} />
    </div>
  );
}
