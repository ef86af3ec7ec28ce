import { WIZARD_STEPS } from '@/components/jobs/launch-form';
import { cn } from '@/components/ui/cn';

/** Where the wizard stands; earlier steps are buttons back to them. */
export function WizardSteps({ step, onGoTo }: { step: number; onGoTo: (step: number) => void }) {
  return (
    <ol aria-label="Launch steps" className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
      {WIZARD_STEPS.map((label, index) => (
        <li
          key={label}
          aria-current={index === step ? 'step' : undefined}
          className="flex items-center gap-1.5"
        >
          <span
            aria-hidden="true"
            className={cn(
              'inline-flex size-5 items-center justify-center rounded-full text-xs font-semibold',
              index === step
                ? 'bg-accent text-accent-foreground'
                : index < step
                  ? 'bg-success-soft text-success'
                  : 'bg-muted text-muted-foreground',
            )}
          >
            {index < step ? '✓' : index + 1}
          </span>
          {index < step ? (
            <button
              type="button"
              className="text-accent underline-offset-2 hover:underline"
              onClick={() => onGoTo(index)}
            >
              {label}
              <span className="sr-only"> (done; go back)</span>
            </button>
          ) : (
            <span className={cn(index === step ? 'font-medium' : 'text-muted-foreground')}>{label}</span>
          )}
        </li>
      ))}
    </ol>
  );
}
