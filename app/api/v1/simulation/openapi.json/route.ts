import { NextResponse } from 'next/server';
import { buildSimulationOpenApiDocument } from '@/lib/api/openapi-simulation';

export const dynamic = 'force-static';

/** The demo's simulation controls, documented apart from the public API reference (docs/demo-network.md). */
export function GET() {
  return NextResponse.json(buildSimulationOpenApiDocument(), {
    headers: { 'Cache-Control': 'public, max-age=300' },
  });
}
