import { EnvEditor } from '@/components/jobs/env-editor';
import { InputFiles } from '@/components/jobs/input-files';
import {
  templateById,
  type FieldErrors,
  type InputRow,
  type LaunchForm,
} from '@/components/jobs/launch-form';
import { describedBy, Field, fieldId, inputClass } from '@/components/jobs/wizard-field';

type Patch = (patch: Partial<LaunchForm>) => void;

/** Step 2: what runs (image, command, inputs, environment) and how much work it is, in the template's unit. */
export function StepWorkload({
  form,
  errors,
  signedIn,
  onChange,
  onInputs,
  onBlur,
}: {
  form: LaunchForm;
  errors: FieldErrors;
  signedIn: boolean;
  onChange: Patch;
  onInputs: (change: (rows: InputRow[]) => InputRow[]) => void;
  onBlur: (field: keyof LaunchForm) => void;
}) {
  const template = templateById(form.template);
  const set = (name: 'name' | 'image' | 'command' | 'workUnits', value: string) => {
    const patch: Partial<LaunchForm> = {};
    patch[name] = value;
    onChange(patch);
  };
  const text = (
    name: 'name' | 'image' | 'command' | 'workUnits',
    props: { inputMode?: 'numeric'; mono?: boolean; hint: boolean },
  ) => (
    <input
      id={fieldId(name)}
      value={form[name]}
      onChange={(e) => set(name, e.target.value)}
      onBlur={() => onBlur(name)}
      autoComplete="off"
      spellCheck={false}
      inputMode={props.inputMode}
      aria-invalid={errors[name] ? true : undefined}
      aria-describedby={describedBy(name, props.hint, errors[name])}
      className={`${inputClass} ${props.mono ? 'font-mono' : ''}`}
    />
  );
  return (
    <div className="flex flex-col gap-4">
      <Field name="name" label="Job name" error={errors.name}>
        {text('name', { hint: false })}
      </Field>
      <Field
        name="image"
        label="Container image"
        hint='A public image reference, such as "vllm/vllm-openai:v0.6.3".'
        error={errors.image}
      >
        {text('image', { mono: true, hint: true })}
      </Field>
      <Field
        name="command"
        label="Command"
        hint="Words separated by spaces; quote a word that contains spaces. $(BACKFILL_INPUT_DIR) and $(BACKFILL_OUTPUT_DIR) name the input and output directories."
        error={errors.command}
      >
        {text('command', { mono: true, hint: true })}
      </Field>
      <InputFiles
        rows={form.inputs}
        error={errors.inputs}
        template={template}
        signedIn={signedIn}
        onChange={onInputs}
      />
      <EnvEditor rows={form.env} error={errors.env} onChange={(env) => onChange({ env })} />
      <Field
        name="workUnits"
        label={`Work (${template.unit})`}
        hint={`How many ${template.unit} the job does. Progress, the estimate and checkpoints count in ${template.unit}.`}
        error={errors.workUnits}
      >
        {text('workUnits', { inputMode: 'numeric', mono: false, hint: true })}
      </Field>
    </div>
  );
}
