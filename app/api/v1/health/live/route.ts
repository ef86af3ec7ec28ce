import { NextResponse } from 'next/server';
import { apiRoute } from '@/lib/api/route';
import { isDraining } from '@/lib/server/lifecycle';

/**
 * Liveness: the process answers. 503 once it is draining after SIGTERM, so a load balancer stops sending it new
 * requests while it finishes those in flight. Touches nothing else: a slow database must not get a healthy
 * process restarted.
 */
export const GET = apiRoute({
  handler: async () =>
    isDraining()
      ? NextResponse.json({ status: 'draining' }, { status: 503, headers: { 'Cache-Control': 'no-store' } })
      : { status: 'ok' },
});
