/**
 * Money is integer micro-USDC (1 USDC = 1,000,000 micros) as `bigint` everywhere in lib/. These helpers are
 * the only place it is converted to or from decimal text.
 */
export const MICROS_PER_USDC = 1_000_000n;

const DECIMAL = /^(\d{1,12})(?:\.(\d{1,6}))?$/;

/** Parses a non-negative decimal USDC amount ("2.5", "0.000001") into micros; null if malformed. */
export function parseUsdcToMicros(text: string): bigint | null {
  const match = DECIMAL.exec(text.trim());
  if (!match) return null;
  const whole = BigInt(match[1] ?? '0');
  const fraction = BigInt((match[2] ?? '').padEnd(6, '0'));
  return whole * MICROS_PER_USDC + fraction;
}

/** Exact decimal text of a micro amount, without trailing zeros beyond two decimals ("2.20", "0.000001"). */
export function microsToDecimal(micros: bigint): string {
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  const whole = abs / MICROS_PER_USDC;
  const fraction = (abs % MICROS_PER_USDC).toString().padStart(6, '0').replace(/0+$/, '').padEnd(2, '0');
  return `${negative ? '-' : ''}${whole.toString()}.${fraction}`;
}

/**
 * Money as every page shows it: dollars to the cent ("$12.35", "$0.09"), and the exact amount only for a figure
 * below one cent that cents would show as "$0.00" ("$0.00125"), so a first job's fraction of a cent never reads
 * as nothing. Prices, balances, charges and earnings all go through here.
 */
export function formatMoney(micros: bigint | string): string {
  const value = typeof micros === 'string' ? BigInt(micros) : micros;
  const abs = value < 0n ? -value : value;
  if (abs === 0n || abs >= 10_000n) return formatUsd(value);
  return `${value < 0n ? '−' : ''}$${microsToDecimal(abs)}`;
}

/**
 * Display text in dollars, rounded half-up to `decimals` places; display rounding happens only here.
 * Accepts the decimal-string form the API returns so components never need bigint arithmetic.
 */
export function formatUsd(micros: bigint | string, decimals = 2): string {
  const value = typeof micros === 'string' ? BigInt(micros) : micros;
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const scale = 10n ** BigInt(6 - decimals);
  const rounded = (abs + scale / 2n) / scale;
  const unit = 10n ** BigInt(decimals);
  const whole = (rounded / unit).toLocaleString('en-US');
  const fraction = decimals > 0 ? `.${(rounded % unit).toString().padStart(decimals, '0')}` : '';
  return `${negative ? '−' : ''}$${whole}${fraction}`;
}
