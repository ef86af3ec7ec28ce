import { apiRoute } from '@/lib/api/route';
import { receiptSigner } from '@/lib/receipts/signer';

/** The address every job receipt is signed by: what verifiers check signatures against. */
export const GET = apiRoute({
  handler: async () => ({ address: receiptSigner().address }),
});
