import { RATE_LIMITS } from '@/lib/api/rate-limits';
import { emptyBodySchema } from '@/lib/api/common-schemas';
import { apiRoute } from '@/lib/api/route';
import type { NonceResponse } from '@/lib/auth/schemas';
import { SIGN_IN_STATEMENT, issueNonce } from '@/lib/auth/siwe';
import { signInOrigin } from '@/lib/auth/web-config';

export const POST = apiRoute({
  body: emptyBodySchema,
  rateLimit: RATE_LIMITS.signIn,
  handler: async ({ request, ctx }): Promise<NonceResponse> => {
    const origin = signInOrigin(ctx.web, request.headers.get('origin'));
    const { nonce, issuedAt, expiresAt } = await issueNonce(ctx.db, ctx.clock);
    return {
      nonce,
      domain: origin.host,
      uri: origin.origin,
      chainIds: ctx.chain ? [ctx.chain.chainId] : [],
      statement: SIGN_IN_STATEMENT,
      issuedAt: issuedAt.toISOString(),
      expiresAt: expiresAt.toISOString(),
    };
  },
});
