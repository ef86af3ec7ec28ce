import { AppError } from '@/lib/api/errors';
import type { Principal } from '@/lib/auth/sessions';

/** Managing credentials needs a wallet session: a leaked API key must not be able to mint more keys. */
export function requireWalletSession(principal: Principal): void {
  if (principal.via !== 'session')
    throw new AppError('forbidden', 'API keys are managed from a wallet session in the dashboard.');
}
