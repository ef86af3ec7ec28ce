import type { z } from 'zod';
import { issueSentence } from '@/lib/api/errors';
import { jobSpecSchema, quoteRequestSchema, type JobSpecInput } from '@/lib/jobs/schemas';
import { JOB_TEMPLATES, type JobTemplate } from '@/lib/jobs/templates';
import { REGIONS } from '@/lib/market/regions';
import { parseUsdcToMicros } from '@/lib/money';
import type { UploadProgress } from '@/lib/queries/files';
import type { JobTemplateId, QuoteRequest } from '@/lib/queries/jobs';

/**
 * The launch wizard's form: text as typed, turned into a job spec (and a quote request) by one pure
 * function that validates with the API's own schemas; a field error the API still returns (a node gone,
 * a balance too low) is shown next to the same field.
 */

export interface EnvRow {
  id: number;
  key: string;
  value: string;
}

/** An input file attached in the wizard: uploading, uploaded (a file id), or failed. */
export interface InputRow {
  key: string;
  name: string;
  sizeBytes: number;
  /** Set once the marketplace has checked the bytes. */
  fileId: string | null;
  /** While it uploads. */
  progress: UploadProgress | null;
  error: string | null;
}

export interface LaunchForm {
  template: JobTemplateId;
  name: string;
  image: string;
  /** Shell-like text: words split on spaces, quotes group words. */
  command: string;
  env: EnvRow[];
  /** Files the workload reads (uploaded as they are attached). */
  inputs: InputRow[];
  workUnits: string;
  gpuModels: string[];
  gpuCount: number;
  minVramGb: number;
  /** Empty: any region. */
  region: string;
  /** USDC per GPU-hour; empty: no limit. */
  maxPrice: string;
  /** Pinned node ("Launch on this node"); null: anywhere that matches. */
  nodeId: string | null;
  /** USDC. */
  budget: string;
}

export type LaunchField = keyof LaunchForm;
export type FieldErrors = Partial<Record<LaunchField, string>>;

/** What a node page passes in the URL (`?nodeId=&gpuModel=&gpuCount=&region=`), already checked. */
export interface LaunchPrefill {
  template?: JobTemplateId;
  nodeId?: string;
  gpuModel?: string;
  gpuCount?: number;
  region?: string;
}

export const WIZARD_STEPS = ['Template', 'Workload', 'Hardware', 'Budget & review'] as const;

/** The step (index into WIZARD_STEPS) where each field is edited. */
export const FIELD_STEP: Record<LaunchField, number> = {
  template: 0,
  name: 1,
  image: 1,
  command: 1,
  env: 1,
  inputs: 1,
  workUnits: 1,
  gpuModels: 2,
  gpuCount: 2,
  minVramGb: 2,
  region: 2,
  maxPrice: 2,
  nodeId: 2,
  budget: 3,
};

export function templateById(id: string): JobTemplate {
  const found = JOB_TEMPLATES.find((t) => t.id === id) ?? JOB_TEMPLATES[0];
  if (!found) throw new Error('No job templates');
  return found;
}

/** Words of a command line: spaces separate, single and double quotes group, backslash escapes. */
export function splitCommand(text: string): string[] | null {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) word += text.charAt(++i);
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      word += text.charAt(++i);
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) return null;
  if (inWord) words.push(word);
  return words;
}

/** The command line that `splitCommand` reads back as `words`. */
export function joinCommand(words: readonly string[]): string {
  return words
    .map((w) => (w !== '' && /^[\w@%+=:,./$()-]+$/.test(w) ? w : `'${w.replaceAll("'", `'\\''`)}'`))
    .join(' ');
}

/** A form filled with a template's defaults; hardware choices and the pin carry over from `previous`. */
export function formForTemplate(
  templateId: JobTemplateId,
  previous: LaunchForm | null,
  prefill: LaunchPrefill = {},
): LaunchForm {
  const template = templateById(templateId);
  // A pinned job keeps the count chosen for its node; otherwise each template brings its own default.
  const requestedCount = previous
    ? previous.nodeId
      ? previous.gpuCount
      : template.defaultGpuCount
    : (prefill.gpuCount ?? template.defaultGpuCount);
  return {
    template: template.id,
    name:
      previous && previous.name !== `${templateById(previous.template).name} job`
        ? previous.name
        : `${template.name} job`,
    image: template.defaultImage,
    command: joinCommand(template.defaultCommand),
    env: previous?.env ?? [],
    inputs: previous?.inputs ?? [],
    workUnits: String(template.defaultWorkUnits),
    gpuModels: previous?.gpuModels ?? (prefill.gpuModel ? [prefill.gpuModel] : []),
    gpuCount: Math.min(8, Math.max(template.minGpuCount, requestedCount)),
    minVramGb: template.defaultMinVramGb,
    region: previous?.region ?? prefill.region ?? '',
    maxPrice: previous?.maxPrice ?? '',
    nodeId: previous ? previous.nodeId : (prefill.nodeId ?? null),
    budget: previous?.budget ?? '',
  };
}

/** The wizard's first form: the first template (or the linked one) with the link's prefill. */
export function initialLaunchForm(prefill: LaunchPrefill): LaunchForm {
  return formForTemplate(prefill.template ?? templateById('').id, null, prefill);
}

/** Whole numbers as people type them: digits with optional thousands separators ("20,000,000"). */
function parseWholeNumber(text: string): number | null {
  const digits = text.replace(/[\s,_]/g, '');
  return /^\d{1,16}$/.test(digits) ? Number(digits) : null;
}

export interface BuiltSpec {
  /** The launch body; null while the spec does not pass the API's own schema or the budget is missing. */
  spec: JobSpecInput | null;
  /** The quote body (budget optional); null while the workload or hardware cannot be quoted. */
  quote: QuoteRequest | null;
  errors: FieldErrors;
}

/** The fields a failed parse refuses, with the schema's own words (what the API would answer). */
function fieldErrors(result: z.ZodSafeParseResult<unknown>): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of result.success ? [] : result.error.issues) {
    const field = fieldForApiPath(issue.path.join('.'));
    if (field && !errors[field]) errors[field] = issueSentence(issue);
  }
  return errors;
}

/**
 * Turns the form into the API's job spec and quote request. The form itself only reads its text (command
 * words, numbers, USDC amounts, variable rows, uploads); every rule about the values is the API's contract
 * (`jobSpecSchema`, `quoteRequestSchema`), checked here with the same schemas the server uses, so the
 * wizard names exactly what the API would refuse, in the same words.
 */
export function buildJobSpec(form: LaunchForm): BuiltSpec {
  // What only the form can know: text that does not read as a value, and uploads still on their way.
  const textErrors: FieldErrors = {};
  const command = splitCommand(form.command);
  if (command === null) textErrors.command = 'A quote is not closed.';

  const env: Record<string, string> = {};
  for (const row of form.env) {
    const key = row.key.trim();
    if (!key && !row.value) continue;
    if (Object.hasOwn(env, key)) textErrors.env ??= `${key} is set twice.`;
    env[key] = row.value;
  }

  if (form.inputs.some((row) => row.error))
    textErrors.inputs = 'Remove the inputs that could not be uploaded, or attach them again.';
  else if (form.inputs.some((row) => !row.fileId)) textErrors.inputs = 'Wait until every input has uploaded.';
  const names = form.inputs.map((row) => row.name.toLowerCase());
  if (!textErrors.inputs && new Set(names).size !== names.length)
    textErrors.inputs = 'Two inputs have the same name; remove one.';
  const inputs = form.inputs.flatMap((row) => (row.fileId ? [{ fileId: row.fileId }] : []));

  const workUnits = parseWholeNumber(form.workUnits);
  if (workUnits === null) textErrors.workUnits = 'Enter a whole number, such as 1000.';
  const usdc = (field: 'maxPrice' | 'budget', example: string): string | undefined => {
    if (!form[field].trim()) return undefined;
    const micros = parseUsdcToMicros(form[field]);
    if (micros === null)
      textErrors[field] = `Enter an amount in USDC, such as ${example} (at most 6 decimals).`;
    return micros?.toString();
  };
  const maxPrice = usdc('maxPrice', '2.50');
  const budget = usdc('budget', '25');

  const region = REGIONS.find((r) => r.id === form.region)?.id;
  const base = {
    name: form.name,
    template: form.template,
    image: form.image.trim(),
    command: command ?? [],
    env,
    workUnits: workUnits ?? 1,
    requirements: {
      gpuModels: form.gpuModels,
      gpuCount: form.gpuCount,
      minVramGb: form.minVramGb,
      ...(region ? { region } : {}),
      ...(maxPrice ? { maxPricePerGpuHourMicros: maxPrice } : {}),
      ...(form.nodeId ? { nodeId: form.nodeId } : {}),
    },
  } satisfies Omit<JobSpecInput, 'budgetMicros'>;

  const specBody: JobSpecInput = { ...base, inputs, budgetMicros: budget ?? '' };
  const checked = jobSpecSchema.safeParse(specBody);
  const errors: FieldErrors = { ...fieldErrors(checked), ...textErrors };
  if (!form.budget.trim()) errors.budget = 'Set a budget cap.';

  // A quote needs the workload and hardware right; the name, inputs and budget do not change what it costs.
  const quoteBody: QuoteRequest = {
    ...base,
    name: form.name.trim() || 'Untitled job',
    ...(budget && !errors.budget ? { budgetMicros: budget } : {}),
  };
  const unreadable = (['command', 'env', 'workUnits', 'maxPrice'] as const).some((f) => textErrors[f]);
  const quotable = !unreadable && quoteRequestSchema.safeParse(quoteBody).success;
  return {
    spec: checked.success && Object.keys(errors).length === 0 ? checked.data : null,
    quote: quotable ? quoteBody : null,
    errors,
  };
}

/** The field an API error path (`requirements.gpuCount`, `env.FOO`, `command.0`) belongs to. */
export function fieldForApiPath(path: string): LaunchField | null {
  const [head, sub] = path.split('.');
  if (head === 'requirements') {
    if (sub === 'maxPricePerGpuHourMicros') return 'maxPrice';
    return sub && sub in FIELD_STEP ? (sub as LaunchField) : null;
  }
  if (head === 'budgetMicros') return 'budget';
  return head && head in FIELD_STEP ? (head as LaunchField) : null;
}

/** A budget suggestion: the high end of the estimate plus 20 %, rounded up to the cent. */
export function suggestedBudgetMicros(costMaxMicros: string): bigint {
  const withMargin = (BigInt(costMaxMicros) * 12n + 9n) / 10n;
  const cent = 10_000n;
  const rounded = ((withMargin + cent - 1n) / cent) * cent;
  return rounded > 0n ? rounded : cent;
}
