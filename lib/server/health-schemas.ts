import { z } from 'zod';

/** The health endpoints' answers: one contract for the routes and the OpenAPI document. */
export const livenessSchema = z.object({ status: z.enum(['ok', 'draining']) }).meta({ id: 'Liveness' });

export const healthCheckSchema = z
  .object({
    name: z.enum(['lifecycle', 'database', 'migrations', 'chain', 'worker-loops']),
    ok: z.boolean(),
    detail: z.string(),
  })
  .meta({ id: 'HealthCheck' });

export const loopHealthSchema = z
  .object({
    name: z.string(),
    workerId: z.string().meta({ description: 'The worker (host and process id) that ran it last.' }),
    intervalMs: z.number().int(),
    lastSuccessAt: z.iso.datetime().nullable(),
    lastError: z.string().nullable(),
    consecutiveFailures: z.number().int(),
    state: z.enum(['ok', 'failing', 'stalled', 'retired']).meta({
      description:
        'stalled: no run finished for twice its period (at least 5 s) and a minute; failing: its last three runs or more failed; retired: silent for a day, not judged.',
    }),
  })
  .meta({ id: 'LoopHealth' });

export const readinessSchema = z
  .object({
    status: z.enum(['ready', 'unready']),
    checks: z.array(healthCheckSchema),
    loops: z.array(loopHealthSchema),
  })
  .meta({ id: 'Readiness' });
