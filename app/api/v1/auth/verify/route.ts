import { NextResponse } from 'next/server';
import type { Hex } from 'viem';
import { RATE_LIMITS } from '@/lib/api/rate-limits';
import { apiRoute } from '@/lib/api/route';
import { getAccountView } from '@/lib/auth/accounts';
import { setSessionCookie } from '@/lib/auth/cookies';
import { verifyRequestSchema, type SessionResponse } from '@/lib/auth/schemas';
import { signIn } from '@/lib/auth/siwe';
import { signInOrigin } from '@/lib/auth/web-config';
import { onSignedIn } from '@/lib/auth/on-signed-in';

export const POST = apiRoute({
  body: verifyRequestSchema,
  rateLimit: RATE_LIMITS.signIn,
  handler: async ({ request, body, ctx }) => {
    const origin = signInOrigin(ctx.web, request.headers.get('origin'));
    const session = await signIn(
      { db: ctx.db, clock: ctx.clock, client: ctx.chainClient },
      { domain: origin.host, origin: origin.origin, chainIds: ctx.chain ? [ctx.chain.chainId] : [] },
      { message: body.message, signature: body.signature as Hex },
    );
    await onSignedIn(ctx, session);
    const payload: SessionResponse = {
      account: await getAccountView(ctx.db, session.accountId),
      expiresAt: session.expiresAt.toISOString(),
    };
    const response = NextResponse.json(payload, { headers: { 'Cache-Control': 'no-store' } });
    setSessionCookie(response, ctx.web, session.token, session.expiresAt);
    return response;
  },
});
