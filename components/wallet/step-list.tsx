import type { ReactNode } from 'react';
import { cn } from '@/components/ui/cn';

export type StepStatus = 'waiting' | 'active' | 'done' | 'failed';

export interface Step {
  id: string;
  label: string;
  status: StepStatus;
  /** Extra line under the label, e.g. a transaction hash or "1 of 2 confirmations". */
  detail?: ReactNode;
}

const MARK: Record<StepStatus, string> = { waiting: '○', active: '◔', done: '✓', failed: '✕' };
const SPOKEN: Record<StepStatus, string> = {
  waiting: 'not started',
  active: 'in progress',
  done: 'done',
  failed: 'failed',
};
const TONE: Record<StepStatus, string> = {
  waiting: 'text-muted-foreground',
  active: 'text-accent',
  done: 'text-success',
  failed: 'text-danger',
};

/** A long operation as numbered steps, each saying (visibly and to screen readers) where it stands. */
export function StepList({ steps, label }: { steps: Step[]; label: string }) {
  return (
    <ol aria-label={label} className="flex flex-col gap-2 text-sm">
      {steps.map((step) => (
        <li
          key={step.id}
          aria-current={step.status === 'active' ? 'step' : undefined}
          className="flex items-start gap-2"
        >
          <span
            aria-hidden="true"
            className={cn('w-4 shrink-0 text-center font-semibold', TONE[step.status])}
          >
            {MARK[step.status]}
          </span>
          <span className="min-w-0">
            <span className={cn(step.status === 'waiting' && 'text-muted-foreground')}>{step.label}</span>
            <span className="sr-only"> ({SPOKEN[step.status]})</span>
            {step.detail ? (
              <span className="block text-xs break-all text-muted-foreground">{step.detail}</span>
            ) : null}
          </span>
        </li>
      ))}
    </ol>
  );
}
