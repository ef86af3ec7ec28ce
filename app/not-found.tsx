import Link from 'next/link';

export default function NotFound() {
  return (
    <div className="flex flex-col items-start gap-3 py-12">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="text-muted-foreground">
        There is nothing at this address. The node may have been removed.
      </p>
      <Link href="/market" className="text-accent underline">
        Browse the market
      </Link>
    </div>
  );
}
