import { eq } from 'drizzle-orm';
import type { NextRequest } from 'next/server';
import { AppError } from '@/lib/api/errors';
import { hashToken } from '@/lib/auth/tokens';
import type { Db } from '@/lib/db/client';
import { nodes, type Node } from '@/lib/db/schema';

/** Node tokens start with this, so a leaked one is recognisable (and never confused with an API key). */
export const NODE_TOKEN_PREFIX = 'bfn_';

/** The node token a request carries as `Authorization: Bearer bfn_…`; 401 when there is none. */
export function nodeTokenOf(request: NextRequest): string {
  const header = request.headers.get('authorization') ?? '';
  const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  if (!token || !token.startsWith(NODE_TOKEN_PREFIX))
    throw new AppError('unauthorized', 'Send the node token as "Authorization: Bearer bfn_…".');
  return token;
}

/** The node a request's `Authorization: Bearer <node token>` belongs to; 401 otherwise. */
export async function authenticateNode(db: Db, request: NextRequest): Promise<Node> {
  const [node] = await db
    .select()
    .from(nodes)
    .where(eq(nodes.tokenHash, hashToken(nodeTokenOf(request))))
    .limit(1);
  if (!node) throw new AppError('unauthorized', 'The node token is unknown or was replaced.');
  return node;
}
