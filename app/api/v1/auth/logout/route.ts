import { NextResponse } from 'next/server';
import { emptyBodySchema } from '@/lib/api/common-schemas';
import { apiRoute } from '@/lib/api/route';
import { clearSessionCookie } from '@/lib/auth/cookies';
import type { SessionResponse } from '@/lib/auth/schemas';
import { SESSION_COOKIE, revokeSession } from '@/lib/auth/sessions';

export const POST = apiRoute({
  body: emptyBodySchema,
  handler: async ({ request, ctx }) => {
    const token = request.cookies.get(SESSION_COOKIE)?.value;
    if (token) await revokeSession(ctx.db, ctx.clock, token);
    const payload: SessionResponse = { account: null, expiresAt: null };
    const response = NextResponse.json(payload, { headers: { 'Cache-Control': 'no-store' } });
    clearSessionCookie(response, ctx.web);
    return response;
  },
});
