import type { CreatePolicyInput } from '@herald/contract';
import { type Db, Prisma } from '@herald/db';
import type { SystemVariables, TemplateRenderer } from '@herald/templates';
import { recordAudit } from '../core/record-audit.js';
import { DomainError } from '../core/domain-error.js';
import type { TemplateCache } from '../templates/template-cache.js';
import { toRenderSource } from '../templates/template-source.js';
import { checkNoticePeriod } from './check-notice-period.js';
import { POLICY_TEMPLATE_KEY, policyEmailData } from './policy-email-data.js';

export interface CreatePolicyDeps {
  db: Db;
  templates: TemplateCache;
  renderer: TemplateRenderer;
  sampleSystem: SystemVariables;
  noticeDays: number;
  now?: Date;
}

/**
 * Publishes a policy version (not yet announced). The notice-period rule is checked now, and the
 * announcement email is rendered once with sample data, so a version that could not be announced
 * is refused here rather than failing 100,000 messages later.
 */
export async function createPolicyVersion(
  deps: CreatePolicyDeps,
  input: CreatePolicyInput,
  { actor }: { actor: string },
) {
  const now = deps.now ?? new Date();
  const overrideReason = input.override?.reason ?? null;
  const { overridden } = checkNoticePeriod({
    effectiveAt: input.effectiveAt,
    now,
    noticeDays: deps.noticeDays,
    overrideReason,
  });

  const template = await deps.templates.latest(POLICY_TEMPLATE_KEY);
  if (!template) {
    throw new DomainError(
      'unknown_template',
      `The "${POLICY_TEMPLATE_KEY}" template is missing; run "npx prisma db seed".`,
    );
  }
  const compiled = await deps.renderer.compile(toRenderSource(template));
  deps.renderer.render(compiled, {
    ...policyEmailData(input, { locale: 'en', timezone: 'UTC' }),
    ...deps.sampleSystem,
  });

  try {
    return await deps.db.$transaction(async (tx) => {
      const version = await tx.policyVersion.create({
        data: {
          version: input.version,
          title: input.title,
          summary: input.summary,
          url: input.url,
          effectiveAt: input.effectiveAt,
          requiredNoticeDays: deps.noticeDays,
          // Recorded only when it was needed: it marks a version published with short notice.
          overrideReason: overridden ? overrideReason : null,
        },
      });
      await recordAudit(tx, {
        actor,
        action: overridden ? 'policy.published-overridden' : 'policy.published',
        targetType: 'policy',
        targetId: version.id,
        ...(overridden && overrideReason && { reason: overrideReason }),
        details: { version: input.version, effectiveAt: input.effectiveAt.toISOString() },
      });
      return version;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new DomainError('version_exists', `A policy version "${input.version}" already exists.`);
    }
    throw error;
  }
}
