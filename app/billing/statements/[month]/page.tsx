import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { StatementView } from '@/components/billing/statement-view';
import { statementMonthSchema } from '@/lib/billing/schemas';

export const metadata: Metadata = { title: 'Statement' };

/** Per-visitor (session cookie), so never prerendered. */
export const dynamic = 'force-dynamic';

/** A month's statement, laid out to print (the site's navigation and the controls stay off paper). */
export default async function StatementPage({ params }: { params: Promise<{ month: string }> }) {
  const { month } = await params;
  if (!statementMonthSchema.safeParse(month).success) notFound();
  return <StatementView month={month} />;
}
