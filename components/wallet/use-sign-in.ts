'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { createSiweMessage } from 'viem/siwe';
import { useConfig, type Connector, type CreateConnectorFn } from 'wagmi';
import { connect, disconnect, getConnection, signMessage, switchChain } from 'wagmi/actions';
import { readableError } from '@/components/wallet/wallet-errors';
import type { ChainInfo } from '@/lib/billing/schemas';
import { applySession } from '@/lib/queries/session';
import { requestSignInNonce, verifySignIn } from '@/lib/queries/sign-in';

export type SignInStepId = 'connect' | 'network' | 'sign' | 'verify';

export interface SignInState {
  /** The step under way, or null when idle. */
  step: SignInStepId | null;
  /** The step that failed last time, with a readable reason. */
  failed: { step: SignInStepId; message: string } | null;
}

/** Which wallet to use: one wagmi already knows, or one loaded on demand (WalletConnect). */
export type WalletChoice = { connector: Connector } | { load: () => Promise<CreateConnectorFn> };

const IDLE: SignInState = { step: null, failed: null };

/**
 * Sign-in with Ethereum (EIP-4361): connect the chosen wallet, move it to our chain, sign a message built
 * from a fresh server nonce, and trade the signature for a session cookie. With no choice it signs with the
 * wallet already connected.
 */
export function useSignIn(chainInfo: ChainInfo) {
  const config = useConfig();
  const queryClient = useQueryClient();
  const [state, setState] = useState<SignInState>(IDLE);

  const signIn = useCallback(
    async (choice?: WalletChoice) => {
      let step: SignInStepId = 'connect';
      const enter = (next: SignInStepId) => {
        step = next;
        setState({ step: next, failed: null });
      };
      try {
        enter('connect');
        if (choice) {
          const connector = 'connector' in choice ? choice.connector : await choice.load();
          const current = getConnection(config);
          const same = 'connector' in choice && current.connector?.uid === choice.connector.uid;
          if (current.isConnected && !same) await disconnect(config);
          if (!same) await connect(config, { connector, chainId: chainInfo.chainId });
        }
        const connection = getConnection(config);
        if (!connection.address) throw new Error('Connect a wallet first.');

        enter('network');
        let chainId = connection.chainId;
        if (chainId !== chainInfo.chainId) {
          await switchChain(config, { chainId: chainInfo.chainId });
          chainId = chainInfo.chainId;
        }

        enter('sign');
        const nonce = await requestSignInNonce();
        if (!nonce.chainIds.includes(chainInfo.chainId))
          throw new Error('Sign-in is closed: the server has no chain configured.');
        const message = createSiweMessage({
          address: connection.address,
          chainId: chainInfo.chainId,
          domain: nonce.domain,
          uri: nonce.uri,
          statement: nonce.statement,
          nonce: nonce.nonce,
          issuedAt: new Date(nonce.issuedAt),
          expirationTime: new Date(nonce.expiresAt),
          version: '1',
        });
        const signature = await signMessage(config, { account: connection.address, message });

        enter('verify');
        const session = await verifySignIn(message, signature);
        applySession(queryClient, session);
        setState(IDLE);
      } catch (error) {
        setState({ step: null, failed: { step, message: readableError(error) } });
      }
    },
    [config, chainInfo.chainId, queryClient],
  );

  return { ...state, running: state.step !== null, signIn };
}
