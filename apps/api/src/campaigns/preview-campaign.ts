import type { Db } from '@herald/db';
import { preferenceLinks, signToken, type SigningKey } from '@herald/preferences';
import type { SystemVariables, TemplateRenderer } from '@herald/templates';
import { DomainError, notFound } from '../core/domain-error.js';
import { toRenderSource } from '../templates/template-source.js';

/**
 * The campaign's email exactly as a recipient gets it: its pinned template version, its data, and
 * either sample recipient fields or those of a given contact (with that contact's real preference
 * links, so the preview can be clicked through).
 */
export async function previewCampaign(
  deps: {
    db: Db;
    renderer: TemplateRenderer;
    sampleSystem: SystemVariables;
    keys: SigningKey[];
    publicWebUrl: string;
  },
  { id, contactId }: { id: string; contactId?: string | undefined },
) {
  const campaign = await deps.db.campaign.findUnique({
    where: { id },
    include: { template: { include: { category: true } } },
  });
  if (!campaign) throw notFound('campaign', id);
  let recipient: Partial<SystemVariables> = {};
  if (contactId) {
    const contact = await deps.db.contact.findUnique({ where: { id: contactId } });
    if (!contact?.email)
      throw new DomainError('unknown_contact', `No contact with an address and id "${contactId}".`);
    const token = signToken(
      {
        contactId,
        scope: { kind: 'category', categoryKey: campaign.categoryKey },
        tokenEpoch: contact.tokenEpoch,
      },
      deps.keys,
    );
    recipient = {
      name: contact.name ?? contact.email.split('@')[0] ?? contact.email,
      email: contact.email,
      ...preferenceLinks({ publicWebUrl: deps.publicWebUrl, token }),
    };
  }
  const compiled = await deps.renderer.compile(toRenderSource(campaign.template));
  return deps.renderer.render(compiled, {
    ...(campaign.data as Record<string, unknown>),
    ...deps.sampleSystem,
    ...recipient,
  });
}
