'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';

/**
 * Copies `text` to the clipboard and says so in a status line beside the button (announced to screen
 * readers); where the browser refuses, it says to select and copy by hand.
 */
export function CopyButton({
  text,
  label,
  variant = 'secondary',
}: {
  text: string;
  label: string;
  variant?: 'primary' | 'secondary';
}) {
  const [status, setStatus] = useState('');
  const copy = () =>
    navigator.clipboard.writeText(text).then(
      () => setStatus('Copied to the clipboard.'),
      () => setStatus('Could not copy here: select the text and copy it.'),
    );
  return (
    <span className="inline-flex flex-wrap items-center gap-3">
      <Button variant={variant} onClick={() => void copy()}>
        {label}
      </Button>
      <span role="status" className="text-sm text-muted-foreground">
        {status}
      </span>
    </span>
  );
}
