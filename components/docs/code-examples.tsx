import type { OperationExamples } from '@/lib/api/openapi-examples';
import { CopyButton } from '@/components/ui/copy-button';
import { ScrollRegion } from '@/components/ui/scroll-region';

const LANGUAGES: { key: keyof OperationExamples; label: string }[] = [
  { key: 'curl', label: 'curl' },
  { key: 'typescript', label: 'TypeScript' },
  { key: 'python', label: 'Python' },
];

/** An operation's example in each language, each with its own copy button, folded until opened. */
export function CodeExamples({ examples, operation }: { examples: OperationExamples; operation: string }) {
  return (
    <details className="mt-3 rounded-md border border-border">
      <summary className="cursor-pointer px-3 py-2 text-sm font-medium">
        Examples: curl, TypeScript, Python
      </summary>
      <div className="flex flex-col gap-3 border-t border-border p-3">
        {LANGUAGES.map(({ key, label }) => (
          <figure key={key} className="flex flex-col gap-2">
            <figcaption className="text-xs font-medium text-muted-foreground">{label}</figcaption>
            <ScrollRegion
              label={`${operation}: ${label} example`}
              className="rounded-md border border-border bg-muted"
            >
              <pre className="p-3 font-mono text-xs leading-relaxed">
                <code>{examples[key]}</code>
              </pre>
            </ScrollRegion>
            <CopyButton text={examples[key]} label={`Copy the ${label} example`} />
          </figure>
        ))}
      </div>
    </details>
  );
}
