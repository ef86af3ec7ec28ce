import { BaseError, UserRejectedRequestError } from 'viem';
import { isApiError } from '@/lib/queries/api-client';

/** EIP-1193 "user rejected the request". */
const USER_REJECTED = 4001;

function isRejection(error: unknown): boolean {
  if (error instanceof UserRejectedRequestError) return true;
  if (error instanceof BaseError)
    return Boolean(
      error.walk((cause) => cause instanceof UserRejectedRequestError || hasCode(cause, USER_REJECTED)),
    );
  return hasCode(error, USER_REJECTED);
}

function hasCode(error: unknown, code: number): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/** One sentence a person can act on, for any failure of a wallet step or of our API. */
export function readableError(error: unknown): string {
  if (isApiError(error)) return error.message;
  if (isRejection(error)) return 'You declined the request in your wallet. Nothing was signed or sent.';
  if (error instanceof BaseError) {
    if (error.name === 'ProviderNotFoundError')
      return 'No wallet answered. Unlock your wallet extension and try again.';
    if (error.name === 'ConnectorAlreadyConnectedError') return 'This wallet is already connected.';
    return error.shortMessage;
  }
  if (error instanceof Error) {
    // The WalletConnect SDK is an optional package, loaded only when someone picks WalletConnect.
    if (error.message.includes('@walletconnect/ethereum-provider'))
      return 'WalletConnect is not installed on this server. Use a browser wallet instead.';
    return error.message;
  }
  return 'Something went wrong. Nothing was changed.';
}
