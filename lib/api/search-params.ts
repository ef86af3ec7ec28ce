import { z } from 'zod';

function unwrap(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema;
  while (
    current instanceof z.ZodOptional ||
    current instanceof z.ZodDefault ||
    current instanceof z.ZodNullable
  ) {
    current = current.unwrap() as z.ZodType;
  }
  return current;
}

/**
 * URL search parameters → a plain object for a zod object schema. Keys whose schema is an array collect
 * repeated values and split comma-separated ones (`gpu=a,b&gpu=c` → ['a','b','c']); other keys take their
 * last value. Empty values are dropped, so `?maxPrice=` means "no filter" rather than an error.
 */
export function searchParamsToObject(params: URLSearchParams, schema: z.ZodObject): Record<string, unknown> {
  const entries: [string, unknown][] = [];
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key).filter((v) => v !== '');
    if (values.length === 0) continue;
    const field = Object.hasOwn(schema.shape, key) ? (schema.shape[key] as z.ZodType) : undefined;
    if (field && unwrap(field) instanceof z.ZodArray) {
      entries.push([key, values.flatMap((v) => v.split(',')).filter((v) => v !== '')]);
    } else {
      entries.push([key, values.at(-1)]);
    }
  }
  // Own properties whatever the key (`__proto__` included), so the strict schema sees and refuses it.
  return Object.fromEntries(entries);
}

/** The inverse, for building links and API URLs: arrays become comma-separated values. */
export function objectToSearchParams(input: Record<string, unknown>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length) params.set(key, value.join(','));
    } else {
      params.set(key, String(value));
    }
  }
  return params;
}
