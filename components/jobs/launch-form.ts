import type { JobSpecInput } from '@/lib/jobs/schemas';
import { JOB_TEMPLATES, type JobTemplate } from '@/lib/jobs/templates';
import { REGIONS } from '@/lib/market/regions';
import { parseUsdcToMicros } from '@/lib/money';
import type { UploadProgress } from '@/lib/queries/files';
import type { JobTemplateId, QuoteRequest } from '@/lib/queries/jobs';

/**
 * The launch wizard's form: text as typed, turned into a job spec (and a quote request) by one pure
 * function. Only what the form can know is checked here; the API validates the rest and its field errors
 * are shown next to the same fields.
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

const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

function parseWorkUnits(text: string): number | null {
  const digits = text.replace(/[\s,_]/g, '');
  if (!/^\d{1,16}$/.test(digits)) return null;
  const value = Number(digits);
  return value >= 1 && value <= 1e15 ? value : null;
}

function positiveMicros(text: string): string | null {
  const micros = parseUsdcToMicros(text);
  return micros !== null && micros > 0n ? micros.toString() : null;
}

export interface BuiltSpec {
  /** The launch body; null while a field the form can check is wrong or the budget is missing. */
  spec: JobSpecInput | null;
  /** The quote body (budget optional); null while the workload or hardware cannot be quoted. */
  quote: QuoteRequest | null;
  errors: FieldErrors;
}

/** Turns the form into the API's job spec and quote request, naming each field the form can tell is wrong. */
export function buildJobSpec(form: LaunchForm): BuiltSpec {
  const errors: FieldErrors = {};
  const name = form.name.trim();
  if (!name) errors.name = 'Give the job a name.';
  else if (name.length > 80) errors.name = 'At most 80 characters.';
  const image = form.image.trim();
  if (!image) errors.image = 'Enter a container image, such as "ubuntu:24.04".';
  const command = splitCommand(form.command);
  if (command === null) errors.command = 'A quote is not closed.';
  else if (command.length === 0) errors.command = 'Enter the command to run.';
  else if (command.length > 64) errors.command = 'At most 64 words.';

  const env: Record<string, string> = {};
  for (const row of form.env) {
    const key = row.key.trim();
    if (!key && !row.value) continue;
    if (!ENV_KEY.test(key)) {
      errors.env = `"${key}" is not a variable name (letters, digits and _, not starting with a digit).`;
      break;
    }
    if (Object.hasOwn(env, key)) {
      errors.env = `${key} is set twice.`;
      break;
    }
    env[key] = row.value;
  }

  if (form.inputs.some((row) => row.error))
    errors.inputs = 'Remove the inputs that could not be uploaded, or attach them again.';
  else if (form.inputs.some((row) => !row.fileId)) errors.inputs = 'Wait until every input has uploaded.';
  const names = form.inputs.map((row) => row.name.toLowerCase());
  if (!errors.inputs && new Set(names).size !== names.length)
    errors.inputs = 'Two inputs have the same name; remove one.';
  const inputs = form.inputs.flatMap((row) => (row.fileId ? [{ fileId: row.fileId }] : []));

  const workUnits = parseWorkUnits(form.workUnits);
  if (workUnits === null) errors.workUnits = 'Enter a whole number of at least 1.';
  let maxPrice: string | undefined;
  if (form.maxPrice.trim()) {
    maxPrice = positiveMicros(form.maxPrice) ?? undefined;
    if (!maxPrice) errors.maxPrice = 'Enter a price in USDC, such as 2.50 (at most 6 decimals).';
  }
  const budget = form.budget.trim() ? positiveMicros(form.budget) : null;
  if (form.budget.trim() && !budget)
    errors.budget = 'Enter an amount in USDC, such as 25 (at most 6 decimals).';

  const region = REGIONS.find((r) => r.id === form.region)?.id;
  const requirements: JobSpecInput['requirements'] = {
    gpuModels: form.gpuModels,
    gpuCount: form.gpuCount,
    minVramGb: form.minVramGb,
    ...(region ? { region } : {}),
    ...(maxPrice ? { maxPricePerGpuHourMicros: maxPrice } : {}),
    ...(form.nodeId ? { nodeId: form.nodeId } : {}),
  };
  const quotable =
    command !== null &&
    command.length > 0 &&
    workUnits !== null &&
    !!image &&
    !errors.env &&
    !errors.maxPrice &&
    !errors.command;
  const base = {
    name: name || 'Untitled job',
    template: form.template,
    image,
    command: command ?? [],
    env,
    workUnits: workUnits ?? 1,
    requirements,
  };
  const quote: QuoteRequest | null = quotable
    ? { ...base, ...(budget ? { budgetMicros: budget } : {}) }
    : null;
  if (!budget && !errors.budget) errors.budget = 'Set a budget cap.';
  const spec: JobSpecInput | null =
    quote && Object.keys(errors).length === 0 && budget
      ? { ...base, name, inputs, budgetMicros: budget }
      : null;
  return { spec, quote, errors };
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
