import { AppError } from '@/lib/api/errors';
import { errorResponse } from '@/lib/api/route';

/** Unknown API paths answer the JSON error envelope, not the HTML 404 page. */
function notFound() {
  return errorResponse(new AppError('not_found', 'No such API endpoint. See /api/v1/openapi.json.'));
}

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
