import { timestamp } from 'drizzle-orm/pg-core';

/** A `timestamp with time zone` column read as a JS Date: how every point in time is stored. */
export const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
