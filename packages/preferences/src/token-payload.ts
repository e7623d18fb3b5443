import { z } from 'zod';

export const TokenScopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('category'), categoryKey: z.string().min(1) }),
  z.object({ kind: z.literal('all-promotional') }),
]);

export const TokenPayloadSchema = z.object({
  contactId: z.guid(),
  scope: TokenScopeSchema,
  messageId: z.guid().optional(),
});

export type TokenScope = z.infer<typeof TokenScopeSchema>;
export type TokenPayload = z.infer<typeof TokenPayloadSchema>;
