import { formatUnits } from '@/components/jobs/job-labels';
import { cn } from '@/components/ui/cn';
import { JOB_TEMPLATES } from '@/lib/jobs/templates';
import type { JobTemplateId } from '@/lib/queries/jobs';

/** Step 1: the kind of job. Choosing one fills the next steps with its defaults. */
export function StepTemplate({
  value,
  onChange,
}: {
  value: JobTemplateId;
  onChange: (template: JobTemplateId) => void;
}) {
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="mb-2 text-sm text-muted-foreground">
        Pick what the job does. Its work is counted in the template&apos;s unit, which is how the quote turns
        your work into hours on each GPU model.
      </legend>
      {JOB_TEMPLATES.map((template) => (
        <label
          key={template.id}
          className={cn(
            'flex cursor-pointer items-start gap-3 rounded-lg border p-3',
            value === template.id ? 'border-accent bg-accent-soft' : 'border-border',
          )}
        >
          <input
            type="radio"
            name="template"
            id={value === template.id ? 'launch-template' : undefined}
            value={template.id}
            checked={value === template.id}
            onChange={() => onChange(template.id)}
            className="mt-1"
          />
          <span className="flex flex-col gap-0.5">
            <span className="font-medium">{template.name}</span>
            <span className="text-sm text-muted-foreground">{template.description}</span>
            <span className="text-xs text-muted-foreground">
              Work in {template.unit}; default {formatUnits(template.defaultWorkUnits, template.unit)} on{' '}
              {template.defaultGpuCount} GPU{template.defaultGpuCount === 1 ? '' : 's'}
              {template.minGpuCount > 1 ? ` (at least ${template.minGpuCount})` : ''}.
            </span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
