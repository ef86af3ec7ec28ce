import { issueSentence } from '@/lib/api/errors';
import { parseUsdcToMicros } from '@/lib/money';
import { nodePriceMicrosSchema } from '@/lib/supplier/schemas';

/**
 * A price per GPU-hour typed by a person ("0.45", "$2"), as micro-USDC, or a sentence saying what is wrong.
 * The form only reads the text; whether the price is allowed is the API's own rule (`nodePriceMicrosSchema`,
 * the one registration and price changes are checked with), in its words.
 */
export function parsePriceInput(text: string): { micros: bigint } | { error: string } {
  const micros = parseUsdcToMicros(text.trim().replace(/^\$/, ''));
  if (micros === null)
    return { error: 'Enter a price in USD per GPU-hour, such as 0.45 (at most 6 decimals).' };
  const checked = nodePriceMicrosSchema.safeParse(micros.toString());
  return checked.success ? { micros } : { error: issueSentence(checked.error.issues[0]!) };
}
