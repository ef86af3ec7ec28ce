import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { DemoBanner } from '@/components/layout/demo-banner';
import { Providers } from '@/components/layout/providers';
import { SiteHeader } from '@/components/layout/site-header';
import { serverEnv } from '@/lib/env';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Backfill — rent idle GPUs', template: '%s · Backfill' },
  description: 'A marketplace for idle GPUs: verified hardware, honest prices, automatic failover.',
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#ffffff' },
    { media: '(prefers-color-scheme: dark)', color: '#0b0b0f' },
  ],
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <body className="min-h-screen bg-background font-sans text-foreground antialiased">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-card focus:px-3 focus:py-2"
        >
          Skip to content
        </a>
        <Providers>
          <SiteHeader />
          {serverEnv().DEMO_NETWORK ? <DemoBanner /> : null}
          <main id="main" className="mx-auto max-w-7xl px-4 py-6">
            {children}
          </main>
          <footer className="mx-auto max-w-7xl px-4 py-8 text-xs text-muted-foreground">
            Prices in USDC per GPU-hour. Every figure is read from the marketplace database through its public
            API.
          </footer>
        </Providers>
      </body>
    </html>
  );
}
