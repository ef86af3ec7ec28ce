import Link from 'next/link';

export default function JobNotFound() {
  return (
    <div className="flex flex-col items-start gap-3 py-12">
      <h1 className="text-2xl font-semibold">Job not found</h1>
      <p className="text-muted-foreground">
        There is no job at this address for your account. Jobs are visible only to the account that launched
        them.
      </p>
      <Link href="/jobs" className="text-accent underline">
        Back to my jobs
      </Link>
    </div>
  );
}
