'use client';

import { lazy, Suspense, useState } from 'react';
import { Button } from '@/components/ui/button';

/** The dialog and the wallet code behind it are fetched on the first click, never with the page. */
const SignInDialog = lazy(() =>
  import('@/components/layout/sign-in-dialog').then((module) => ({ default: module.SignInDialog })),
);

/**
 * "Sign in" from any page: the wallet sign-in opens in a dialog over the page, and the visitor stays where
 * they were.
 */
export function SignInButton({ label = 'Sign in', variant }: { label?: string; variant?: 'primary' }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        variant={variant}
        className={variant ? undefined : 'px-2 py-1 text-sm'}
        aria-haspopup="dialog"
        aria-expanded={open}
        onClick={() => setOpen(true)}
      >
        {label}
      </Button>
      {open ? (
        <Suspense fallback={null}>
          <SignInDialog onClose={() => setOpen(false)} />
        </Suspense>
      ) : null}
    </>
  );
}
