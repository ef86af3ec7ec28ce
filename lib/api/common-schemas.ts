import { z } from 'zod';

/** Integer micro-USDC as a decimal string (JSON numbers lose precision above 2^53). */
export const microsSchema = z
  .string()
  .regex(/^-?\d{1,20}$/, 'must be an integer amount of micro-USDC')
  .meta({ id: 'Micros', description: 'Amount in micro-USDC (1 USDC = 1,000,000), as an integer string.' });

/** A strictly positive micro-USDC amount in a request body. */
export const positiveMicrosSchema = z
  .string()
  .regex(/^\d{1,15}$/, 'must be a positive integer amount of micro-USDC')
  // Zod runs refinements after a failed regex too, so the refinement must not assume digits.
  .refine((value) => /^\d+$/.test(value) && BigInt(value) > 0n, 'must be greater than zero')
  .meta({
    description: 'Amount in micro-USDC (1 USDC = 1,000,000), as an integer string.',
    example: '250000000',
  });

export const addressSchema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte address')
  .meta({ id: 'Address', description: 'An EVM address.' });

export const txHashSchema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, 'must be a 0x-prefixed 32-byte transaction hash')
  .meta({ id: 'TxHash', description: 'A transaction hash.' });

/**
 * Calendar days a query may name. Wide enough for any report, narrow enough that every day (and the day after
 * it, an exclusive range end) is a date PostgreSQL and JavaScript agree on.
 */
export const MIN_CALENDAR_DAY = '2000-01-01';
export const MAX_CALENDAR_DAY = '2099-12-31';

/** A UTC calendar day, YYYY-MM-DD: a real date between MIN_CALENDAR_DAY and MAX_CALENDAR_DAY. */
export const calendarDaySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }, 'must be a real calendar date')
  .refine(
    (value) => value >= MIN_CALENDAR_DAY && value <= MAX_CALENDAR_DAY,
    `must be between ${MIN_CALENDAR_DAY} and ${MAX_CALENDAR_DAY}`,
  )
  .meta({ description: 'A UTC calendar day, YYYY-MM-DD.', example: '2026-01-01' });

export const isoDateSchema = z.iso.datetime({ offset: true }).meta({ description: 'ISO 8601 timestamp.' });

/** The body of a mutation that takes no input: `{}` or nothing at all; anything else is a 400. */
export const emptyBodySchema = z
  .strictObject({})
  .meta({ id: 'EmptyBody', description: 'An empty JSON object (the body may also be omitted).' });

export const uuidParamsSchema = z.strictObject({ id: z.uuid().meta({ description: 'Resource id.' }) });

/** Query of a keyset-paginated list owned by the caller. */
export const pageQuerySchema = z.strictObject({
  cursor: z.string().max(200).optional().meta({ description: 'Opaque cursor from `nextCursor`.' }),
  limit: z.coerce.number().int().min(1).max(100).default(25).meta({ description: 'Page size.' }),
});

export function pageSchema<T extends z.ZodType>(item: T, id: string) {
  return z
    .object({
      items: z.array(item),
      nextCursor: z
        .string()
        .nullable()
        .meta({ description: 'Pass as `cursor` for the next page; null at the end.' }),
    })
    .meta({ id });
}
