import Markdown, { type Components } from 'react-markdown';

const COMPONENTS: Components = {
  code: ({ children }) => (
    <code className="rounded bg-muted px-1 py-0.5 font-mono text-[0.85em]">{children}</code>
  ),
  a: ({ href, children }) => (
    <a href={href} className="text-accent underline">
      {children}
    </a>
  ),
  p: ({ children }) => <p className="[&:not(:first-child)]:mt-2">{children}</p>,
  ul: ({ children }) => <ul className="mt-2 list-disc pl-5">{children}</ul>,
};

/**
 * The API document's descriptions are Markdown (`code`, emphasis, links, lists): rendered on the server into
 * elements, never as raw HTML (react-markdown does not pass HTML through). `inline` drops the paragraph, for
 * table cells and one-line descriptions.
 */
export function DocText({ text, inline = false }: { text: string; inline?: boolean }) {
  if (!text) return null;
  return (
    <Markdown
      components={COMPONENTS}
      {...(inline ? { disallowedElements: ['p'], unwrapDisallowed: true } : {})}
    >
      {text}
    </Markdown>
  );
}
