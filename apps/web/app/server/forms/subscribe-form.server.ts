import type { SubscribeForm } from '@herald/db';
import { db } from '../db.server';

export type PublicForm = Pick<SubscribeForm, 'key' | 'name' | 'categories' | 'fields' | 'consentText'>;

/**
 * A form the public may fill: it exists and is not disabled; `closed` when it exists but is
 * disabled (POST /v1/forms/{key}/disable). Read from the database (the web key reads no forms).
 */
export async function findOpenForm(key: string | undefined): Promise<PublicForm | 'closed' | null> {
  if (!key || !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(key)) return null;
  const form = await db.subscribeForm.findUnique({
    where: { key },
    select: { key: true, name: true, categories: true, fields: true, consentText: true, disabledAt: true },
  });
  if (!form) return null;
  if (form.disabledAt) return 'closed';
  const { disabledAt: _open, ...open } = form;
  return open;
}

/** The 410 page of a disabled form, its requests and its confirmation links (root.tsx's ErrorBoundary). */
export const FORM_CLOSED = { refused: 'form-closed' } as const;
