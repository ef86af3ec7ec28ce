import type { NonceResponse, SessionResponse } from '@/lib/auth/schemas';
import { sendJson } from '@/lib/queries/api-client';

/*
 * The sign-in requests, apart from lib/queries/session.ts: only the wallet code (loaded where someone signs
 * in) calls them, so the header every page carries does not ship them.
 */

/** A fresh single-use nonce and the exact fields the sign-in message must carry. */
export function requestSignInNonce(): Promise<NonceResponse> {
  return sendJson<NonceResponse>('POST', '/api/v1/auth/nonce', {});
}

/** Exchanges a signed EIP-4361 message for a session (an HttpOnly cookie) and the account it opens. */
export function verifySignIn(message: string, signature: string): Promise<SessionResponse> {
  return sendJson<SessionResponse>('POST', '/api/v1/auth/verify', { message, signature });
}
