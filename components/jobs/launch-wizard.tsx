'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useRef, useState, type FormEvent, type MouseEvent } from 'react';
import {
  buildJobSpec,
  FIELD_STEP,
  fieldForApiPath,
  formForTemplate,
  initialLaunchForm,
  suggestedBudgetMicros,
  WIZARD_STEPS,
  type FieldErrors,
  type LaunchField,
  type LaunchForm,
  type LaunchPrefill,
} from '@/components/jobs/launch-form';
import { QuotePanel } from '@/components/jobs/quote-panel';
import { StepHardware, type PinnedNode } from '@/components/jobs/step-hardware';
import { StepReview } from '@/components/jobs/step-review';
import { StepTemplate } from '@/components/jobs/step-template';
import { StepWorkload } from '@/components/jobs/step-workload';
import { ErrorSummary, LaunchProblem } from '@/components/jobs/wizard-alerts';
import { WizardSteps } from '@/components/jobs/wizard-steps';
import { fieldId } from '@/components/jobs/wizard-field';
import { SignInButton } from '@/components/layout/sign-in-button';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { microsToDecimal } from '@/lib/money';
import { isApiError, type ApiError } from '@/lib/queries/api-client';
import { useLaunchJob, useQuote, type QuoteRequest } from '@/lib/queries/jobs';
import { useSession } from '@/lib/queries/session';

const FIELDS = Object.keys(FIELD_STEP) as LaunchField[];
/** Typing pauses this long before the quote is asked again. */
const QUOTE_DEBOUNCE_MS = 400;

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

function fieldErrorsFrom(fields: ApiError['fields']): FieldErrors {
  const errors: FieldErrors = {};
  for (const { field, message } of fields) {
    const name = fieldForApiPath(field);
    if (name && !errors[name]) errors[name] = message;
  }
  return errors;
}

/** One key per submission attempt (`Idempotency-Key`); `randomUUID` needs a secure context, so a fallback. */
function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join(
    '',
  );
}

/**
 * Pressing the mouse on "Next" or "Launch" would blur the field first; the field's error then appears and
 * shifts the button before the mouse is released, and the click is lost. Keeping focus in the field until
 * the click lands avoids that; the submit handler moves focus where it belongs.
 */
function keepFieldFocus(event: MouseEvent) {
  event.preventDefault();
}

function focusField(field: LaunchField) {
  // After the step with the field has rendered.
  window.requestAnimationFrame(() => document.getElementById(fieldId(field))?.focus());
}

type Problem = { kind: 'payment' | 'other'; message: string } | null;

/**
 * The launch wizard: template → workload → hardware → budget and review, with a live quote beside it that
 * follows every change. Launching sends the spec once per attempt key and opens the job's monitor.
 */
export function LaunchWizard({ prefill, pinned }: { prefill: LaunchPrefill; pinned: PinnedNode | null }) {
  const router = useRouter();
  const session = useSession();
  const signedIn = !!session.data?.account;
  const [form, setForm] = useState<LaunchForm>(() => initialLaunchForm(prefill));
  const [step, setStep] = useState(0);
  const [touched, setTouched] = useState<Partial<Record<LaunchField, true>>>({});
  const [attempted, setAttempted] = useState<Partial<Record<number, true>>>({});
  const [launchErrors, setLaunchErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<Problem>(null);
  const [summary, setSummary] = useState<[LaunchField, string][]>([]);
  const attemptKey = useRef<{ key: string; body: string } | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);

  const built = useMemo(() => buildJobSpec(form), [form]);
  const quoteText = built.quote ? JSON.stringify(built.quote) : null;
  const debounced = useDebounced(quoteText, QUOTE_DEBOUNCE_MS);
  const quoteRequest = useMemo(
    () => (debounced ? (JSON.parse(debounced) as QuoteRequest) : null),
    [debounced],
  );
  const quote = useQuote(quoteRequest);
  const launch = useLaunchJob();

  // The quote's field errors count only while they are about the form as it is now.
  const settled = debounced === quoteText;
  const quoteErrors =
    settled && quote.error && isApiError(quote.error)
      ? fieldErrorsFrom(quote.error.fields)
      : ({} as FieldErrors);
  const allErrors: FieldErrors = {};
  for (const f of FIELDS) {
    const message = launchErrors[f] ?? built.errors[f] ?? quoteErrors[f];
    if (message) allErrors[f] = message;
  }
  const shown: FieldErrors = {};
  for (const f of FIELDS)
    if (allErrors[f] && (touched[f] || attempted[FIELD_STEP[f]] || launchErrors[f])) shown[f] = allErrors[f];

  useEffect(() => {
    if (moved.current) heading.current?.focus();
  }, [step]);

  const update = (patch: Partial<LaunchForm>) => {
    setForm((current) => ({ ...current, ...patch }));
    setLaunchErrors((errors) => {
      const next = { ...errors };
      for (const key of Object.keys(patch) as LaunchField[]) delete next[key];
      return next;
    });
  };
  const touch = (field: LaunchField) => setTouched((t) => (t[field] ? t : { ...t, [field]: true }));

  const goTo = (next: number) => {
    moved.current = true;
    setSummary([]);
    if (next === 3 && !form.budget.trim() && quote.data?.estimate)
      update({ budget: microsToDecimal(suggestedBudgetMicros(quote.data.estimate.costMaxMicros)) });
    setStep(next);
  };

  const stopAt = (fields: LaunchField[]) => {
    setAttempted((a) => ({ ...a, ...Object.fromEntries(fields.map((f) => [FIELD_STEP[f], true])) }));
    setSummary(fields.map((f) => [f, allErrors[f] ?? '']));
    const first = fields[0];
    if (!first) return;
    if (FIELD_STEP[first] !== step) {
      moved.current = false;
      setStep(FIELD_STEP[first]);
    }
    focusField(first);
  };

  const next = () => {
    const bad = FIELDS.filter((f) => FIELD_STEP[f] === step && allErrors[f]);
    if (bad.length) return stopAt(bad);
    goTo(step + 1);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (step < WIZARD_STEPS.length - 1) return next();
    const bad = FIELDS.filter((f) => allErrors[f]);
    if (bad.length || !built.spec) return stopAt(bad);
    const body = JSON.stringify(built.spec);
    // A retry of the same spec reuses its key (the server answers once); a changed spec is a new attempt.
    if (attemptKey.current?.body !== body) attemptKey.current = { key: newIdempotencyKey(), body };
    setProblem(null);
    launch.mutate(
      { spec: built.spec, idempotencyKey: attemptKey.current.key },
      {
        onSuccess: (job) => router.push(`/jobs/${job.id}`),
        onError: (error) => {
          // A definitive refusal is stored against the key; the next try must be a new attempt.
          if (isApiError(error) && error.status < 500 && error.status !== 409 && error.status !== 429)
            attemptKey.current = null;
          if (isApiError(error) && error.status === 402)
            return setProblem({ kind: 'payment', message: error.message });
          setProblem({ kind: 'other', message: error.message });
          if (isApiError(error) && error.fields.length) {
            const fields = fieldErrorsFrom(error.fields);
            setLaunchErrors(fields);
            const bad = FIELDS.filter((f) => fields[f]);
            if (bad[0]) {
              moved.current = false;
              setStep(FIELD_STEP[bad[0]]);
              setSummary(bad.map((f) => [f, fields[f] ?? '']));
              focusField(bad[0]);
            }
          }
        },
      },
    );
  };

  const quoteStatus = !built.quote
    ? 'Complete the workload and hardware to see a quote.'
    : !settled || quote.isFetching
      ? 'Updating the quote…'
      : quote.error
        ? `Could not quote this job: ${quote.error.message}`
        : quote.data
          ? 'Quote for the job as it stands.'
          : 'Asking for a quote…';
  const last = step === WIZARD_STEPS.length - 1;

  return (
    <div className="grid grid-cols-[minmax(0,1fr)] gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)] lg:items-start">
      <Card className="flex flex-col gap-4">
        <WizardSteps step={step} onGoTo={(s) => goTo(s)} />
        <form
          onSubmit={submit}
          noValidate
          className="flex flex-col gap-4"
          aria-labelledby="wizard-step-heading"
        >
          <h2 id="wizard-step-heading" ref={heading} tabIndex={-1} className="text-lg font-semibold">
            Step {step + 1} of {WIZARD_STEPS.length}: {WIZARD_STEPS[step]}
          </h2>
          <ErrorSummary
            items={summary}
            onPick={(field) => {
              setStep(FIELD_STEP[field]);
              focusField(field);
            }}
          />
          {step === 0 ? (
            <StepTemplate
              value={form.template}
              onChange={(template) => setForm((f) => formForTemplate(template, f))}
            />
          ) : step === 1 ? (
            <StepWorkload
              form={form}
              errors={shown}
              signedIn={signedIn}
              onChange={update}
              onInputs={(change) => {
                setForm((current) => ({ ...current, inputs: change(current.inputs) }));
                setLaunchErrors(({ inputs: _inputs, ...rest }) => rest);
              }}
              onBlur={touch}
            />
          ) : step === 2 ? (
            <StepHardware form={form} errors={shown} pinned={pinned} onChange={update} onBlur={touch} />
          ) : (
            <StepReview
              form={form}
              errors={shown}
              pinned={pinned}
              suggestedBudget={
                quote.data?.estimate ? suggestedBudgetMicros(quote.data.estimate.costMaxMicros) : null
              }
              onChange={update}
              onBlur={touch}
            />
          )}
          {problem ? <LaunchProblem kind={problem.kind} message={problem.message} /> : null}
          <div className="flex flex-wrap items-center gap-2">
            {step > 0 ? <Button onClick={() => goTo(step - 1)}>Back</Button> : null}
            {!last ? (
              <Button type="submit" variant="primary" onMouseDown={keepFieldFocus}>
                Next: {WIZARD_STEPS[step + 1]}
              </Button>
            ) : signedIn ? (
              <Button
                type="submit"
                variant="primary"
                disabled={launch.isPending}
                onMouseDown={keepFieldFocus}
              >
                {launch.isPending ? 'Launching…' : 'Launch job'}
              </Button>
            ) : (
              <p className="flex flex-wrap items-center gap-2 text-sm">
                <SignInButton label="Sign in to launch" variant="primary" />
                <span className="text-muted-foreground">Your choices here are kept while you sign in.</span>
              </p>
            )}
          </div>
        </form>
      </Card>
      <div className="lg:sticky lg:top-4">
        <QuotePanel quote={built.quote ? quote.data : undefined} status={quoteStatus} signedIn={signedIn} />
      </div>
    </div>
  );
}
