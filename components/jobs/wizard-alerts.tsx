import Link from 'next/link';
import type { LaunchField } from '@/components/jobs/launch-form';
import { fieldId } from '@/components/jobs/wizard-field';

const ALERT = 'rounded-md border border-danger/40 bg-danger-soft p-3 text-sm text-danger';

/** The fields that stopped "Next" or "Launch", announced at once, each a link to its field. */
export function ErrorSummary({
  items,
  onPick,
}: {
  items: [LaunchField, string][];
  onPick: (field: LaunchField) => void;
}) {
  if (items.length === 0) return null;
  return (
    <div role="alert" className={ALERT}>
      <p className="font-medium">Please check {items.length === 1 ? 'this field' : 'these fields'}:</p>
      <ul className="mt-1 list-disc pl-5">
        {items.map(([field, message]) => (
          <li key={field}>
            <a
              href={`#${fieldId(field)}`}
              className="underline underline-offset-2"
              onClick={(e) => {
                e.preventDefault();
                onPick(field);
              }}
            >
              {message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Why the launch was refused: a short balance (402) with the way to deposit, or the API's message. */
export function LaunchProblem({ kind, message }: { kind: 'payment' | 'other'; message: string }) {
  return (
    <div role="alert" className={ALERT}>
      {kind === 'payment' ? (
        <>
          <p className="font-medium">Your available balance does not cover this budget.</p>
          <p className="mt-1">
            {message}{' '}
            <Link href="/billing" className="underline underline-offset-2">
              Deposit USDC on the Billing page
            </Link>
            , or lower the budget.
          </p>
        </>
      ) : (
        <p>Could not launch the job: {message}</p>
      )}
    </div>
  );
}
