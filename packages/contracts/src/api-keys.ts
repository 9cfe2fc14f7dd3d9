import { z } from 'zod';
import { IsoDateTime, StorableText } from './common';
import { API_KEY_SCOPES } from './rules';

export const ApiKeyScope = z.enum(API_KEY_SCOPES);
export type ApiKeyScope = z.infer<typeof ApiKeyScope>;

export const ApiKeySummary = z.object({
  id: z.uuid(),
  label: z.string(),
  prefix: z.string().describe('The first characters of the key, to recognise it'),
  scopes: z.array(ApiKeyScope),
  createdBy: z.string().nullable().describe('Email of the user who created it'),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable().describe('Updated at most once a minute'),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiKeySummary = z.infer<typeof ApiKeySummary>;
export const ApiKeyList = z.object({ items: z.array(ApiKeySummary) });
export type ApiKeyList = z.infer<typeof ApiKeyList>;

export const CreateApiKeyRequest = z.object({
  label: StorableText.trim().min(1).max(100),
  scopes: z
    .array(ApiKeyScope)
    .min(1, 'choose at least one scope')
    .max(100)
    .transform((scopes) => [...new Set(scopes)]),
  expiresAt: IsoDateTime.optional()
    .refine((value) => value === undefined || Date.parse(value) > Date.now(), 'must be in the future')
    .describe('When the key stops working; never when absent'),
});
export type CreateApiKeyRequest = z.input<typeof CreateApiKeyRequest>;

export const CreatedApiKey = z.object({
  apiKey: ApiKeySummary,
  key: z.string().describe('Shown once: send as Authorization: Bearer <key>'),
});
export type CreatedApiKey = z.infer<typeof CreatedApiKey>;

export const ApiKeyIdParams = z.object({ id: z.uuid() });
