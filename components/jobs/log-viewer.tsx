'use client';

import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  useSyncExternalStore,
  type UIEvent,
} from 'react';
import type { LogLine } from '@/components/jobs/job-events';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { cn } from '@/components/ui/cn';
import { isAtBottom, visibleRows } from '@/components/jobs/windowing';
import { jobLogsPath } from '@/lib/queries/jobs';

/** Every row is one line of this height (px): `leading-5`. Fixed, so the window is plain arithmetic. */
const ROW_HEIGHT = 20;
/** The viewport's height (px) before it has been measured: `h-80`. */
const DEFAULT_VIEWPORT = 320;
/** Lines in the server-rendered HTML: the latest screenful, shown before the script can scroll. */
const FIRST_PAINT_LINES = DEFAULT_VIEWPORT / ROW_HEIGHT;

const noSubscription = () => () => {};

const STREAM_CLASS: Record<LogLine['stream'], string> = {
  stdout: 'text-foreground',
  stderr: 'text-danger',
  agent: 'text-accent',
};

/**
 * The job's log as it streams in. Only the rows in view (and a few either side) are in the DOM, so
 * thousands of lines scroll smoothly; while the view is at the bottom it follows new lines, and scrolling
 * up stops that until you come back down (or press "Jump to latest").
 */
export function LogViewer({
  jobId,
  lines,
  olderOmitted,
}: {
  jobId: string;
  lines: readonly LogLine[];
  olderOmitted: boolean;
}) {
  const viewport = useRef<HTMLDivElement>(null);
  const follow = useRef(true);
  const [scroll, setScroll] = useState({ top: 0, height: DEFAULT_VIEWPORT });
  const [following, setFollowing] = useState(true);
  const mounted = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );

  const onScroll = useCallback((event: UIEvent<HTMLDivElement>) => {
    const el = event.currentTarget;
    const atBottom = isAtBottom({
      scrollTop: el.scrollTop,
      viewportHeight: el.clientHeight,
      scrollHeight: el.scrollHeight,
    });
    follow.current = atBottom;
    setFollowing(atBottom);
    setScroll({ top: el.scrollTop, height: el.clientHeight });
  }, []);

  const jumpToLatest = useCallback(() => {
    const el = viewport.current;
    if (!el) return;
    follow.current = true;
    setFollowing(true);
    el.scrollTop = el.scrollHeight;
  }, []);

  // New lines: keep the view pinned to the bottom if it was there. Before paint, so it never flickers.
  useLayoutEffect(() => {
    const el = viewport.current;
    if (el && follow.current) el.scrollTop = el.scrollHeight;
  }, [lines, mounted]);

  useEffect(() => {
    const el = viewport.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setScroll({ top: el.scrollTop, height: el.clientHeight }));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // While following, the view is at the bottom whatever the last scroll event said (new lines just moved it).
  const bottom = Math.max(0, lines.length * ROW_HEIGHT - scroll.height);
  const range = visibleRows({
    scrollTop: following ? bottom : scroll.top,
    viewportHeight: scroll.height,
    rowHeight: ROW_HEIGHT,
    count: lines.length,
  });
  const rows = mounted ? lines.slice(range.start, range.end) : lines.slice(-FIRST_PAINT_LINES);
  const row = (line: LogLine) => (
    <div key={line.seq} data-log-line={line.seq} className="flex h-5 gap-3 px-2 whitespace-pre">
      <span className="text-muted-foreground select-none">{line.at.slice(11, 19)}</span>
      <span className={cn(STREAM_CLASS[line.stream])}>
        {line.stream === 'stdout' ? '' : `[${line.stream}] `}
        {line.text}
      </span>
    </div>
  );

  return (
    <Card className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="font-semibold">Logs</h2>
        <div className="flex items-center gap-3">
          {!following && lines.length > 0 ? (
            <Button className="px-2 py-1 text-xs" onClick={jumpToLatest}>
              Jump to latest
            </Button>
          ) : null}
          <a
            href={jobLogsPath(jobId)}
            download={`job-${jobId}.log`}
            className="text-sm text-accent underline underline-offset-2"
          >
            Download logs
          </a>
        </div>
      </div>
      <p className="text-sm text-muted-foreground">
        {lines.length === 0
          ? 'No log lines yet. They appear here as the node sends them.'
          : `${lines.length.toLocaleString('en-US')} line${lines.length === 1 ? '' : 's'}${
              olderOmitted ? ' (the latest; the download has every line)' : ''
            }. stderr in red, agent messages in colour.`}
      </p>
      <div
        ref={viewport}
        onScroll={onScroll}
        tabIndex={0}
        role="region"
        aria-label="Job log, newest at the bottom"
        data-testid="log-viewport"
        className="relative h-80 overflow-auto rounded-md border border-border bg-muted font-mono text-xs leading-5"
      >
        {mounted ? (
          <div style={{ height: range.totalHeight }} className="relative w-max min-w-full">
            <div
              style={{ transform: `translateY(${range.offsetTop}px)` }}
              className="absolute inset-x-0 top-0"
            >
              {rows.map(row)}
            </div>
          </div>
        ) : (
          <div className="w-max min-w-full">{rows.map(row)}</div>
        )}
      </div>
    </Card>
  );
}
