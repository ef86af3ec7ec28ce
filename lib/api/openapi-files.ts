import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { emptyBodySchema, uuidParamsSchema } from '@/lib/api/common-schemas';
import { body, errorResponses, json, optionalBody, SIGNED_IN, signedIn } from '@/lib/api/openapi-helpers';
import {
  agentCompleteRequestSchema,
  agentCompleteSchema,
  agentUploadRequestSchema,
  agentUploadSchema,
  createFileRequestSchema,
  fileDetailSchema,
  fileListQuerySchema,
  filePageSchema,
  fileUploadSchema,
  storedFileSchema,
} from '@/lib/files/schemas';

/** Files (customers' inputs and outputs), the agent's uploads, and the embedded store's signed URLs. */
export function registerFilePaths(registry: OpenAPIRegistry): void {
  const NODE = [{ nodeToken: [] }];
  registry.registerPath({
    method: 'get',
    path: '/api/v1/files',
    operationId: 'listFiles',
    tags: ['Files'],
    summary: 'Your inputs and outputs, and your storage use',
    security: SIGNED_IN,
    request: { query: fileListQuerySchema },
    responses: {
      200: json(filePageSchema, 'A page of files, newest first.'),
      ...errorResponses(400, 401, 500),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/files',
    operationId: 'createInputFile',
    tags: ['Files'],
    summary: 'Start an input upload',
    description:
      'Reserves the size against your storage quota (409 when it is full) and returns a short-lived signed URL ' +
      'that accepts exactly these bytes. PUT them there, with the given headers, then call `…/complete`.',
    security: signedIn('jobs'),
    request: body(createFileRequestSchema),
    responses: {
      201: json(fileUploadSchema, 'The pending file and where to upload it.'),
      ...errorResponses(400, 401, 403, 409, 415, 422, 429, 500),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/files/{id}',
    operationId: 'getFile',
    tags: ['Files'],
    summary: 'One file, with a short-lived download URL',
    security: SIGNED_IN,
    request: { params: uuidParamsSchema },
    responses: { 200: json(fileDetailSchema, 'The file.'), ...errorResponses(400, 401, 404, 500) },
  });
  registry.registerPath({
    method: 'delete',
    path: '/api/v1/files/{id}',
    operationId: 'deleteFile',
    tags: ['Files'],
    summary: 'Delete a file',
    description:
      'Deletes the bytes. An input a queued or running job still reads, or an output of a running job, is kept (409). ' +
      'A job’s receipt keeps the names and digests of its outputs.',
    security: signedIn('jobs'),
    request: { params: uuidParamsSchema, ...optionalBody(emptyBodySchema) },
    responses: {
      200: json(z.object({ deleted: z.literal(true) }), 'Deleted.'),
      ...errorResponses(400, 401, 403, 404, 409, 500),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/files/{id}/complete',
    operationId: 'completeInputFile',
    tags: ['Files'],
    summary: 'Finish an input upload',
    description:
      'Checks that the store holds exactly the announced bytes (size and sha256) and makes the input ready for ' +
      'jobs. 409 while nothing has arrived; 422 when other bytes did (they are discarded). Safe to repeat.',
    security: signedIn('jobs'),
    request: { params: uuidParamsSchema, ...optionalBody(emptyBodySchema) },
    responses: {
      200: json(storedFileSchema, 'The ready file.'),
      ...errorResponses(400, 401, 403, 404, 409, 422, 500),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/files/{id}/download',
    operationId: 'downloadFile',
    tags: ['Files'],
    summary: 'Download a file',
    description: 'Redirects (303) to a short-lived signed URL for the bytes.',
    security: SIGNED_IN,
    request: { params: uuidParamsSchema },
    responses: {
      303: { description: 'See the Location header.' },
      ...errorResponses(400, 401, 404, 409, 500),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/agent/uploads',
    operationId: 'agentCreateUpload',
    tags: ['Agent'],
    summary: 'Upload an output or a checkpoint of a held lease',
    description:
      'Only for a lease the node holds now (its fencing token, the attempt still active; 409 otherwise). Returns a ' +
      'signed PUT for exactly these bytes; the quota of the job’s owner applies.',
    security: NODE,
    request: body(agentUploadRequestSchema),
    responses: {
      201: json(agentUploadSchema, 'Where to upload.'),
      ...errorResponses(400, 401, 404, 409, 415, 422, 500),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/v1/agent/uploads/{id}/complete',
    operationId: 'agentCompleteUpload',
    tags: ['Agent'],
    summary: 'Acknowledge an upload (keeps a checkpoint)',
    description:
      'Checks the bytes in the store. A checkpoint that covers more than the job’s current one is kept: the job ' +
      'resumes from it after a failover, and the time up to it is charged. Older checkpoints are deleted.',
    security: NODE,
    request: { params: uuidParamsSchema, ...body(agentCompleteRequestSchema) },
    responses: {
      200: json(agentCompleteSchema, 'Acknowledged.'),
      ...errorResponses(400, 401, 404, 409, 415, 422, 500),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/v1/storage/objects/{key}',
    operationId: 'getStoredObject',
    tags: ['Files'],
    summary: 'Download through a signed URL (embedded store)',
    description:
      'Only as handed out by the API: the query carries the signature, which names this method on this key until ' +
      'it expires. Supports a single byte range. With an S3 bucket configured, signed URLs point at the bucket.',
    request: { params: z.object({ key: z.string() }) },
    responses: {
      200: { description: 'The bytes.', content: { 'application/octet-stream': { schema: z.string() } } },
      206: { description: 'A byte range.', content: { 'application/octet-stream': { schema: z.string() } } },
      ...errorResponses(400, 403, 404, 422, 500),
    },
  });
  registry.registerPath({
    method: 'put',
    path: '/api/v1/storage/objects/{key}',
    operationId: 'putStoredObject',
    tags: ['Files'],
    summary: 'Upload through a signed URL (embedded store)',
    description: 'Exactly the signed size and sha256, or nothing is kept (422).',
    request: {
      params: z.object({ key: z.string() }),
      body: { content: { 'application/octet-stream': { schema: z.string() } } },
    },
    responses: {
      201: json(z.object({ key: z.string(), size: z.number().int(), sha256: z.string() }), 'Stored.'),
      ...errorResponses(400, 403, 404, 422, 500),
    },
  });
}
