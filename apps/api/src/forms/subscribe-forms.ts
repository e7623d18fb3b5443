import type { CreateSubscribeFormInput, SubscribeFormField, SubscribeFormView } from '@herald/contract';
import { type Db, Prisma, type SubscribeForm } from '@herald/db';
import { DomainError } from '../core/domain-error.js';
import { recordAudit } from '../core/record-audit.js';

export const toFormView = (form: SubscribeForm): SubscribeFormView => ({
  key: form.key,
  name: form.name,
  categories: form.categories,
  fields: form.fields as SubscribeFormField[],
  consentText: form.consentText,
  createdAt: form.createdAt.toISOString(),
  disabledAt: form.disabledAt?.toISOString() ?? null,
});

/**
 * Creates a subscribe form with its audit row, in one transaction. Its categories must exist and be
 * promotional: a form never subscribes anyone to a transactional stream.
 */
export async function createSubscribeForm(
  db: Db,
  input: CreateSubscribeFormInput,
  actor: string,
): Promise<SubscribeForm> {
  const categories = [...new Set(input.categories)];
  const found = await db.category.findMany({ where: { key: { in: categories } } });
  for (const key of categories) {
    const category = found.find((row) => row.key === key);
    if (!category) throw new DomainError('unknown_category', `No category with key "${key}".`);
    if (category.class !== 'promotional') {
      throw new DomainError(
        'not_promotional',
        `Category "${key}" is not promotional: a form subscribes to promotional categories only.`,
      );
    }
  }
  try {
    return await db.$transaction(async (tx) => {
      const form = await tx.subscribeForm.create({
        data: {
          key: input.key,
          name: input.name,
          categories,
          fields: [...new Set(input.fields)],
          consentText: input.consentText,
        },
      });
      await recordAudit(tx, {
        actor,
        action: 'subscribe-form.created',
        targetType: 'subscribe-form',
        targetId: form.key,
        details: { name: form.name, categories: form.categories },
      });
      return form;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new DomainError('conflict', `A form with key "${input.key}" already exists.`);
    }
    throw error;
  }
}

export const listSubscribeForms = (db: Db) =>
  db.subscribeForm.findMany({ orderBy: [{ createdAt: 'desc' }, { key: 'asc' }] });

export async function readSubscribeForm(db: Db, key: string): Promise<SubscribeForm> {
  const form = await db.subscribeForm.findUnique({ where: { key } });
  if (!form) throw new DomainError('not_found', `No form with key "${key}".`);
  return form;
}

/**
 * Disables a form (`disabled`) or enables it again, with its audit row, in one transaction. A
 * disabled form's hosted page and posts answer 410 and its confirmation links subscribe nobody
 * (the web app's findOpenForm and confirmSubscription). The update only matches a form in the other
 * state, so of two concurrent calls one changes it and the other answers 409.
 */
export async function setSubscribeFormDisabled(
  db: Db,
  key: string,
  disabled: boolean,
  actor: string,
): Promise<SubscribeForm> {
  return db.$transaction(async (tx) => {
    const [form] = await tx.subscribeForm.updateManyAndReturn({
      where: { key, disabledAt: disabled ? null : { not: null } },
      data: { disabledAt: disabled ? new Date() : null },
    });
    if (!form) {
      const exists = await tx.subscribeForm.findUnique({ where: { key }, select: { key: true } });
      if (!exists) throw new DomainError('not_found', `No form with key "${key}".`);
      throw new DomainError(
        'conflict',
        disabled
          ? `The form "${key}" is disabled already.`
          : `The form "${key}" is not disabled: there is nothing to enable.`,
      );
    }
    await recordAudit(tx, {
      actor,
      action: disabled ? 'subscribe-form.disabled' : 'subscribe-form.enabled',
      targetType: 'subscribe-form',
      targetId: form.key,
      details: { name: form.name },
    });
    return form;
  });
}
