import { z } from 'zod';

/**
 * The simulation controls' contract (no database import: the browser uses the types). Documented in the
 * separate simulation document (`/api/v1/simulation/openapi.json`), never in the public API reference.
 */
export const simulationAccessSchema = z
  .object({
    simulated: z.boolean().meta({
      description:
        'Whether this server runs the simulated demo network; without it there is nothing to control.',
    }),
    operator: z.boolean().meta({
      description:
        'Whether the signed-in account is one of the demo’s operators (`SIMULATION_OPERATORS`), who may use the ' +
        'simulation controls on every demo node. A node’s own supplier may use them on that node either way.',
    }),
  })
  .meta({ id: 'SimulationAccess' });

export const simulatedHostFailureSchema = z
  .object({
    nodeId: z.uuid(),
    killed: z.literal(true),
  })
  .meta({ id: 'SimulatedHostFailure' });

export const simulatedFailedCheckSchema = z
  .object({
    nodeId: z.uuid(),
    quarantined: z.boolean().meta({ description: 'False when the node was already quarantined.' }),
    suspectAttempts: z.number().int().meta({ description: 'Customer attempts marked suspect and refunded.' }),
    refundedMicros: z.string().meta({ description: 'Refunded to their customers, in micro-USDC.' }),
  })
  .meta({ id: 'SimulatedFailedCheck' });

export type SimulatedFailedCheck = z.infer<typeof simulatedFailedCheckSchema>;
export type SimulationAccess = z.infer<typeof simulationAccessSchema>;
export type SimulatedHostFailure = z.infer<typeof simulatedHostFailureSchema>;

/** The most one simulated top-up may add (1,000 USDC). */
export const MAX_SIMULATED_FUNDING_MICROS = 1_000_000_000n;

export const simulatedFundingRequestSchema = z
  .strictObject({
    amountMicros: z
      .string()
      .regex(/^\d{1,10}$/, 'must be a positive integer amount of micro-USDC')
      .refine(
        (value) => /^\d+$/.test(value) && BigInt(value) > 0n && BigInt(value) <= MAX_SIMULATED_FUNDING_MICROS,
        'must be more than zero and at most 1,000 USDC (1000000000)',
      )
      .meta({ description: 'Micro-USDC to add to your available balance, at most 1,000 USDC.' }),
  })
  .meta({ id: 'SimulatedFundingRequest' });

export const simulatedFundingSchema = z
  .object({
    amountMicros: z.string(),
    availableMicros: z.string().meta({ description: 'Your available balance after the top-up.' }),
  })
  .meta({ id: 'SimulatedFunding' });
