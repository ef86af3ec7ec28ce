'use client';

import { useId } from 'react';
import { STATE_FILTER_LABEL, templateName } from '@/components/jobs/job-labels';
import { JOB_TEMPLATES } from '@/lib/jobs/templates';
import { JOB_STATE_FILTERS, type JobListFilters } from '@/lib/queries/jobs';

const selectClass = 'rounded-md border border-border bg-card px-2 py-1.5 text-sm';

/** State (or state group) and template filters; each change replaces the URL's query. */
export function JobFilters({
  filters,
  onChange,
}: {
  filters: JobListFilters;
  onChange: (next: JobListFilters) => void;
}) {
  const stateId = useId();
  const templateId = useId();
  return (
    <form
      role="search"
      aria-label="Filter jobs"
      className="flex flex-wrap items-end gap-3"
      onSubmit={(e) => e.preventDefault()}
    >
      <div className="flex flex-col gap-1">
        <label htmlFor={stateId} className="text-xs font-medium text-muted-foreground">
          State
        </label>
        <select
          id={stateId}
          className={selectClass}
          value={filters.state ?? ''}
          onChange={(e) => {
            const state = JOB_STATE_FILTERS.find((s) => s === e.target.value);
            onChange({ ...filters, state });
          }}
        >
          <option value="">All</option>
          {JOB_STATE_FILTERS.map((state) => (
            <option key={state} value={state}>
              {STATE_FILTER_LABEL[state]}
            </option>
          ))}
        </select>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={templateId} className="text-xs font-medium text-muted-foreground">
          Template
        </label>
        <select
          id={templateId}
          className={selectClass}
          value={filters.template ?? ''}
          onChange={(e) => {
            const template = JOB_TEMPLATES.find((t) => t.id === e.target.value)?.id;
            onChange({ ...filters, template });
          }}
        >
          <option value="">All</option>
          {JOB_TEMPLATES.map((template) => (
            <option key={template.id} value={template.id}>
              {templateName(template.id)}
            </option>
          ))}
        </select>
      </div>
    </form>
  );
}
