import openapiTS, { astToString } from 'openapi-typescript';
import { buildOpenApiDocument } from '@/lib/api/openapi';

/** Where the generated types live: the TypeScript client and the CLI import them. */
export const CLIENT_TYPES_FILE = 'clients/typescript/openapi.d.ts';

const HEADER =
  '// The Backfill API as TypeScript types, generated from its OpenAPI document (lib/api/openapi.ts)\n' +
  '// by `npm run client:generate`. Do not edit: a unit test fails when this file and the document differ.\n\n';

/** The TypeScript types of every path, operation and schema of the public API document. */
export async function generateClientTypes(): Promise<string> {
  // The document is plain JSON; openapi-typescript's own types are stricter than zod-to-openapi's output.
  const document = JSON.parse(JSON.stringify(buildOpenApiDocument())) as Parameters<typeof openapiTS>[0];
  // Defaults apply to what the server answers, not to what a client must send: request fields with a default stay optional.
  return HEADER + astToString(await openapiTS(document, { alphabetize: true, defaultNonNullable: false }));
}
