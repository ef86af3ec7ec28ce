import type { NextRequest } from 'next/server';
import { serviceContext } from '@/lib/api/context';
import { AppError } from '@/lib/api/errors';
import { toErrorResponse } from '@/lib/api/route';
import { LocalStore } from '@/lib/storage/local-store';
import { serveSignedStorageRequest } from '@/lib/storage/signed-request';

/**
 * The embedded blob store's signed URLs (GET, HEAD, PUT). No session or API key: the signature in the query
 * names one method on one key until it expires, and is the whole authorization. With an S3 bucket configured
 * the URLs point at the bucket instead, and this path answers 404.
 */
async function handle(request: NextRequest): Promise<Response> {
  try {
    const { storage } = await serviceContext();
    if (!(storage instanceof LocalStore)) throw new AppError('not_found', 'Not found.');
    return await serveSignedStorageRequest(storage, request);
  } catch (error) {
    return toErrorResponse(error);
  }
}

export const GET = handle;
export const HEAD = handle;
export const PUT = handle;
