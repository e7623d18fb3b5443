import type { SaveTemplateInput } from '@herald/contract';
import { type Db, Prisma } from '@herald/db';
import {
  isSystemVariable,
  TemplateSourceError,
  validateTemplateSource,
  type SystemVariables,
  type TemplateRenderer,
} from '@herald/templates';
import { uuid7 } from '../core/uuid7.js';
import { DomainError } from '../core/domain-error.js';
import { recordAudit } from '../core/record-audit.js';
import { toRenderSource } from './template-source.js';

/**
 * Adds a version of a template (version 1 for a new key). The MJML is validated strictly and the
 * fixture must render before anything is written; earlier versions stay for the messages that used them.
 * Every save writes a `template.saved` audit row naming `actor`, in the same transaction.
 */
export async function saveTemplateVersion(
  db: Db,
  renderer: TemplateRenderer,
  {
    input,
    system,
    actor,
    classes,
  }: {
    input: SaveTemplateInput;
    system: SystemVariables;
    actor: string;
    /** The classes this caller may save (a console role's); every class when absent. */
    classes?: ReadonlySet<string>;
  },
) {
  const category = await db.category.findUnique({ where: { key: input.category } });
  if (!category) throw new DomainError('unknown_category', `No category with key "${input.category}".`);
  if (classes && !classes.has(category.class)) {
    throw new DomainError(
      'forbidden',
      `Your role may not save ${category.class} templates (category "${category.key}").`,
    );
  }
  const latest = await db.template.findFirst({
    where: { key: input.key, locale: null },
    orderBy: { version: 'desc' },
  });
  if (input.locale && !latest) {
    throw new DomainError(
      'unknown_template',
      `Template "${input.key}" has no default version to translate: save it without "locale" first.`,
    );
  }
  if (latest && latest.categoryKey !== input.category) {
    throw new DomainError(
      'category_mismatch',
      `Template "${input.key}" belongs to category "${latest.categoryKey}"; a template cannot change its category (and so its class).`,
    );
  }
  const validation = await validateTemplateSource({
    subject: input.subject,
    mjml: input.mjml,
    class: category.class,
    required: category.required,
    locale: input.locale ?? null,
  });
  if (!validation.ok) throw new TemplateSourceError(validation.errors);
  if (input.locale && latest) refuseNewVariables(validation.variables, latest.variables, input.locale);
  const reserved = Object.keys(input.fixture ?? {}).filter(isSystemVariable);
  if (reserved.length > 0) {
    throw new DomainError(
      'reserved_variable',
      `The fixture may not set system variables: ${reserved.join(', ')}.`,
    );
  }
  // A translation takes the default's data, so the default's sample data is its own.
  const fixture =
    input.fixture ??
    (input.locale && latest
      ? (latest.fixture as Record<string, unknown>)
      : fixtureFromVariables(validation.variables));
  // The version's id is chosen now so the compile that checks the fixture is the one the cache keeps.
  const id = uuid7();
  const compiled = await renderer.compile(
    toRenderSource({
      id,
      key: input.key,
      locale: input.locale ?? null,
      subject: input.subject,
      mjml: input.mjml,
      html: validation.html,
      category,
    }),
  );
  try {
    renderer.render(compiled, { ...fixture, ...system });
  } catch (error) {
    throw new DomainError(
      'fixture_does_not_render',
      `The ${input.fixture ? 'given' : 'generated'} fixture does not render: ${(error as Error).message}${input.fixture ? '' : ' Send a "fixture" with sample data.'}`,
    );
  }
  for (let attempt = 0; ; attempt++) {
    const current = await db.template.findFirst({
      where: { key: input.key },
      orderBy: { version: 'desc' },
      select: { version: true },
    });
    const version = (current?.version ?? 0) + 1;
    try {
      // Each attempt is a transaction of its own: a unique violation aborts the one it happens in.
      return await db.$transaction(async (tx) => {
        const template = await tx.template.create({
          data: {
            id,
            key: input.key,
            version,
            locale: input.locale ?? null,
            categoryKey: input.category,
            subject: input.subject,
            mjml: input.mjml,
            html: validation.html,
            variables: validation.variables,
            fixture: fixture as Prisma.InputJsonObject,
          },
          include: { category: true },
        });
        // A template in a required category reaches people no opt-out protects: who changed one is kept.
        await recordAudit(tx, {
          actor,
          action: 'template.saved',
          targetType: 'template',
          targetId: input.key,
          details: {
            category: category.key,
            version,
            required: category.required,
            ...(input.locale && { locale: input.locale }),
          },
        });
        return template;
      });
    } catch (error) {
      const raced = error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
      if (!raced || attempt >= 3) throw error;
    }
  }
}

/**
 * A translation is sent with the data the default's callers send: a variable the default does not
 * use would be missing when it renders, so a translation may use only the default's variables.
 */
function refuseNewVariables(variables: string[], defaults: unknown, locale: string): void {
  const known = new Set(Array.isArray(defaults) ? (defaults as string[]) : []);
  const added = variables.filter(
    (path) => !known.has(path) && ![...known].some((other) => other.startsWith(`${path}.`)),
  );
  if (added.length === 0) return;
  throw new DomainError(
    'variant_variables',
    `The "${locale}" translation uses variables the default does not: ${added.join(', ')}. A translation gets the default's data; use only ${[...known].join(', ') || 'system variables'}.`,
    { added },
  );
}

/** Sample data for a template created without one: each variable path gets a readable placeholder. */
export function fixtureFromVariables(variables: string[]): Record<string, unknown> {
  const fixture: Record<string, unknown> = {};
  for (const path of variables) {
    const parts = path.split('.');
    let node = fixture;
    parts.forEach((part, index) => {
      if (index === parts.length - 1) {
        if (!(part in node)) node[part] = `Sample ${path}`;
      } else {
        if (typeof node[part] !== 'object' || node[part] === null) node[part] = {};
        node = node[part] as Record<string, unknown>;
      }
    });
  }
  return fixture;
}
