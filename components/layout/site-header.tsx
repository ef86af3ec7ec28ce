import Link from 'next/link';
import { SessionNav } from '@/components/layout/session-nav';
import { ThemeToggle } from '@/components/layout/theme-toggle';

/**
 * Server-rendered links: they cost the browser no JavaScript of their own (the account ones prompt to sign in).
 * Not prefetched: seven links on every page view would each ask the server to render a page nobody opened
 * (most of them per-visitor and dynamic), which on a busy server delays the pages people do open.
 */
const NAV = [
  { href: '/market', label: 'Market' },
  { href: '/metrics', label: 'Metrics' },
  { href: '/jobs', label: 'Jobs' },
  { href: '/supplier', label: 'Supplier' },
  { href: '/billing', label: 'Billing' },
  { href: '/account', label: 'Account' },
  { href: '/docs/api', label: 'API' },
] as const;

export function SiteHeader() {
  return (
    <header className="border-b border-border print:hidden">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
        <Link href="/" className="text-base font-semibold tracking-tight">
          Backfill
        </Link>
        <nav aria-label="Main" className="hidden flex-wrap gap-x-4 gap-y-1 text-sm sm:flex">
          {NAV.map((item) => (
            <Link
              key={item.href}
              href={item.href}
              prefetch={false}
              className="text-muted-foreground hover:text-foreground"
            >
              {item.label}
            </Link>
          ))}
        </nav>
        <div className="ml-auto flex flex-wrap items-center gap-3">
          <SessionNav />
          <ThemeToggle />
        </div>
        <MobileMenu />
      </div>
    </header>
  );
}

/**
 * On a phone the links fold into a menu under the header: a disclosure, so it needs no JavaScript. Its links
 * load their page whole (plain anchors, not client navigation), which also closes the menu.
 */
function MobileMenu() {
  return (
    <details className="group w-full sm:hidden">
      <summary className="inline-flex cursor-pointer list-none items-center gap-2 rounded-md border border-border px-3 py-1.5 text-sm font-medium [&::-webkit-details-marker]:hidden">
        <span aria-hidden="true" className="text-base leading-none group-open:hidden">
          ☰
        </span>
        <span aria-hidden="true" className="hidden text-base leading-none group-open:inline">
          ×
        </span>
        Menu
      </summary>
      <nav aria-label="Main" className="mt-2 border-t border-border pt-2">
        <ul className="grid grid-cols-2 gap-1 text-sm">
          {NAV.map((item) => (
            <li key={item.href}>
              <a href={item.href} className="block rounded-md px-2 py-2 hover:bg-muted">
                {item.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
    </details>
  );
}
