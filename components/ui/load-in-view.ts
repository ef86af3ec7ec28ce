'use client';

import { useEffect, useState, type RefObject } from 'react';

/**
 * A module fetched once, on first use, and shared by every caller; a failed fetch is forgotten so the next
 * caller tries again. A plain `import()` rather than `next/dynamic`: the page's first load then carries
 * neither the module nor a loader runtime.
 */
export function lazyModule<T>(importer: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () =>
    (pending ??= importer().catch((error: unknown) => {
      pending = null;
      throw error;
    }));
}

/**
 * What `load` answers (as `{ value }`), once the element scrolls into view (IntersectionObserver): a reader who
 * never scrolls there never downloads it. Null until then, and if the fetch fails (offline, a deploy in
 * between), so the caller's placeholder stays.
 */
export function useLoadInView<T>(
  ref: RefObject<HTMLElement | null>,
  load: () => Promise<T>,
): { value: T } | null {
  const [loaded, setLoaded] = useState<{ value: T } | null>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    let active = true;
    const observer = new IntersectionObserver((entries) => {
      if (!entries.some((entry) => entry.isIntersecting)) return;
      observer.disconnect();
      load().then(
        (value) => {
          if (active) setLoaded({ value });
        },
        () => {},
      );
    });
    observer.observe(element);
    return () => {
      active = false;
      observer.disconnect();
    };
  }, [ref, load]);
  return loaded;
}
