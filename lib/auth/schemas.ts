import { z } from 'zod';
import { displayNameSchema } from '@/lib/api/text';
import { addressSchema, isoDateSchema } from '@/lib/api/common-schemas';
import { API_KEY_SCOPES, DEFAULT_API_KEY_SCOPES } from '@/lib/auth/scopes';

export const nonceResponseSchema = z
  .object({
    nonce: z.string().meta({ description: 'Single-use sign-in nonce (≥ 96 random bits).' }),
    domain: z.string().meta({ description: 'The domain the SIWE message must name.' }),
    uri: z.string().meta({ description: 'The URI the SIWE message must name.' }),
    chainIds: z.array(z.number().int()).meta({ description: 'Chains a sign-in message may name.' }),
    statement: z.string().meta({ description: 'The statement to put in the message.' }),
    issuedAt: isoDateSchema,
    expiresAt: isoDateSchema.meta({ description: 'The nonce (and the message) must be used before this.' }),
  })
  .meta({ id: 'SignInNonce' });

export const verifyRequestSchema = z
  .strictObject({
    message: z.string().min(1).max(4000).meta({ description: 'The EIP-4361 message that was signed.' }),
    signature: z
      .string()
      .regex(/^0x[0-9a-fA-F]+$/, 'must be a 0x-prefixed hex signature')
      .max(2000)
      .meta({ description: "The wallet's signature of the message." }),
  })
  .meta({ id: 'SignInRequest' });

export const accountSchema = z
  .object({
    id: z.uuid(),
    address: addressSchema,
    createdAt: isoDateSchema,
  })
  .meta({ id: 'Account' });

export const sessionResponseSchema = z
  .object({
    account: accountSchema.nullable().meta({ description: 'The signed-in account; null when signed out.' }),
    expiresAt: isoDateSchema.nullable(),
  })
  .meta({ id: 'Session' });

export const apiKeyScopeSchema = z.enum(API_KEY_SCOPES).meta({
  id: 'ApiKeyScope',
  description:
    'read: GET your resources; jobs: quote, launch, cancel, re-run, files; supplier: nodes, offers, registration tokens; billing: deposits, settings, payouts.',
});

export const apiKeySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string().meta({ description: 'The first characters of the key, to tell keys apart.' }),
    scopes: z.array(apiKeyScopeSchema).meta({ description: 'What the key may do.' }),
    createdAt: isoDateSchema,
    lastUsedAt: isoDateSchema.nullable(),
    revokedAt: isoDateSchema.nullable(),
  })
  .meta({ id: 'ApiKey' });

export const createApiKeyRequestSchema = z
  .strictObject({
    name: displayNameSchema(64).meta({ description: 'A label for the key.', example: 'notebook' }),
    scopes: z
      .array(apiKeyScopeSchema)
      .min(1, 'choose at least one scope')
      .max(API_KEY_SCOPES.length)
      .refine((scopes) => new Set(scopes).size === scopes.length, 'each scope at most once')
      .default([...DEFAULT_API_KEY_SCOPES])
      .meta({ description: `What the key may do; omitted → ${DEFAULT_API_KEY_SCOPES.join(', ')}.` }),
  })
  .meta({ id: 'CreateApiKeyRequest' });

export const createdApiKeySchema = apiKeySchema
  .extend({
    key: z.string().meta({ description: 'The secret key. Shown once; only its hash is stored.' }),
  })
  .meta({ id: 'CreatedApiKey' });

export const apiKeyListSchema = z.object({ items: z.array(apiKeySchema) }).meta({ id: 'ApiKeyList' });

export type SessionResponse = z.infer<typeof sessionResponseSchema>;
export type NonceResponse = z.infer<typeof nonceResponseSchema>;
export type ApiKeyView = z.infer<typeof apiKeySchema>;
export type CreatedApiKey = z.infer<typeof createdApiKeySchema>;
