import { NextResponse } from 'next/server';
import { apiRoute } from '@/lib/api/route';
import { chainPublicClient } from '@/lib/chain/client';
import { chainConfig } from '@/lib/chain/config';
import { sharedReadiness } from '@/lib/server/health';

/** Readiness: 200 when this instance can serve (lib/server/health.ts), 503 with every check otherwise; reused for a second. */
export const GET = apiRoute({
  handler: async ({ ctx }) => {
    const chain = chainConfig();
    const result = await sharedReadiness(ctx.db, ctx.clock, chain ? chainPublicClient(chain) : null);
    return NextResponse.json(
      { status: result.ready ? 'ready' : 'unready', checks: result.checks, loops: result.loops },
      { status: result.ready ? 200 : 503, headers: { 'Cache-Control': 'no-store' } },
    );
  },
});
