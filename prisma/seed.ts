/**
 * `npx prisma db seed`: the standard categories and templates, idempotently (a template whose text
 * changed gets a new version). With HERALD_SEED_DEMO=1 also a few sample contacts.
 */
import { createPrismaClient, type Db } from '@herald/db';
import {
  seedCategories,
  seedTemplates,
  validateTemplateSource,
  type TemplateDefinition,
} from '@herald/templates';
import { DEMO_ADMIN_EMAIL, DEMO_ROLES, seedAdmin } from './seed-admin.js';

export async function seedStandardData(db: Db): Promise<{ categories: number; templateVersions: number }> {
  for (const category of seedCategories) {
    const existing = await db.category.findUnique({ where: { key: category.key } });
    if (existing && (existing.class !== category.class || existing.required !== category.required)) {
      throw new Error(
        `category "${category.key}" exists with another class or required flag; refusing to change it`,
      );
    }
    // Translations are seeded where a category has none: ones set through the API since are kept.
    const untranslated = JSON.stringify(existing?.translations ?? {}) === '{}';
    await db.category.upsert({
      where: { key: category.key },
      // Click tracking starts on for promotional categories; an operator's later choice is kept.
      create: { ...category, trackClicks: category.class === 'promotional' },
      update: {
        name: category.name,
        description: category.description,
        ...(untranslated ? { translations: category.translations } : {}),
      },
    });
  }
  let templateVersions = 0;
  for (const template of seedTemplates) {
    const category = seedCategories.find((c) => c.key === template.categoryKey);
    if (!category)
      throw new Error(`template "${template.key}" names unknown category "${template.categoryKey}"`);
    // The default first: a translation is a variant of a template that exists.
    for (const variant of [{ locale: null, ...template }, ...template.variants]) {
      if (await seedTemplateVersion(db, { template, category, variant })) templateVersions++;
    }
  }
  return { categories: seedCategories.length, templateVersions };
}

/**
 * Seeds one variant of a seed template (the default when `locale` is null): a new version when its
 * text changed, the MJML output on a version saved before Herald kept it. True when a version was added.
 */
async function seedTemplateVersion(
  db: Db,
  {
    template,
    category,
    variant,
  }: {
    template: TemplateDefinition;
    category: { class: 'transactional' | 'promotional'; required: boolean };
    variant: { locale: string | null; subject: string; mjml: string };
  },
): Promise<boolean> {
  const latest = await db.template.findFirst({
    where: { key: template.key, locale: variant.locale },
    orderBy: { version: 'desc' },
  });
  const unchanged = latest && latest.subject === variant.subject && latest.mjml === variant.mjml;
  if (unchanged && latest.html !== null) return false;
  const validation = await validateTemplateSource({
    subject: variant.subject,
    mjml: variant.mjml,
    class: category.class,
    required: category.required,
    locale: variant.locale,
  });
  if (!validation.ok) {
    const name = variant.locale ? `${template.key} (${variant.locale})` : template.key;
    throw new Error(`seed template "${name}" is invalid: ${JSON.stringify(validation.errors)}`);
  }
  if (unchanged) {
    // A version saved before templates kept their MJML output gets it, so workers need no MJML.
    await db.template.update({ where: { id: latest.id }, data: { html: validation.html } });
    return false;
  }
  // A key's versions are numbered across its variants.
  const newest = await db.template.findFirst({
    where: { key: template.key },
    orderBy: { version: 'desc' },
    select: { version: true },
  });
  await db.template.create({
    data: {
      key: template.key,
      version: (newest?.version ?? 0) + 1,
      locale: variant.locale,
      categoryKey: template.categoryKey,
      subject: variant.subject,
      mjml: variant.mjml,
      html: validation.html,
      variables: validation.variables,
      fixture: template.fixture as object,
    },
  });
  return true;
}

const DEMO_CONTACTS = [
  { email: 'ada@example.com', name: 'Ada Lovelace', locale: 'en-GB', timezone: 'Europe/London' },
  { email: 'grace@example.com', name: 'Grace Hopper', locale: 'en-US', timezone: 'America/New_York' },
  { email: 'alan@example.com', name: 'Alan Turing', locale: 'en-GB', timezone: 'Europe/London' },
  { email: 'katherine@example.com', name: 'Katherine Johnson', locale: 'en-US', timezone: 'America/Chicago' },
  { email: 'marie@example.com', name: 'Marie Curie', locale: 'fr-FR', timezone: 'Europe/Paris' },
  { email: 'sophie@example.com', name: 'Sophie Germain', locale: 'fr-CA', timezone: 'America/Toronto' },
  { email: 'lise@example.com', name: 'Lise Meitner', locale: 'de-DE', timezone: 'Europe/Berlin' },
  { email: 'emmy@example.com', name: 'Emmy Noether', locale: 'de-AT', timezone: 'Europe/Vienna' },
];

export async function seedDemoContacts(db: Db): Promise<number> {
  for (const contact of DEMO_CONTACTS) {
    await db.contact.upsert({ where: { email: contact.email }, create: contact, update: {} });
  }
  return DEMO_CONTACTS.length;
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  const db = createPrismaClient({
    databaseUrl: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/herald',
  });
  try {
    const result = await seedStandardData(db);
    console.log(
      `seeded ${result.categories} categories and ${result.templateVersions} new template version(s)`,
    );
    if (process.env.HERALD_SEED_DEMO === '1')
      console.log(`seeded ${await seedDemoContacts(db)} demo contacts`);
    // The console's admin: HERALD_ADMIN_EMAIL and HERALD_ADMIN_PASSWORD; in demo mode admin@example.com,
    // with a generated password (printed) unless HERALD_ADMIN_PASSWORD gives one.
    const demo = process.env.HERALD_SEED_DEMO === '1';
    const adminEmail = process.env.HERALD_ADMIN_EMAIL || (demo ? DEMO_ADMIN_EMAIL : undefined);
    const adminPassword = process.env.HERALD_ADMIN_PASSWORD || undefined;
    if (adminEmail && (adminPassword || demo)) {
      const admin = await seedAdmin(db, { email: adminEmail, password: adminPassword });
      const generated = admin.generatedPassword ? `, password ${admin.generatedPassword}` : '';
      console.log(`console admin ${admin.email} (owner): ${admin.action}${generated}`);
      if (demo) {
        // One account per other role, to try what each may do; demo only, with the admin's password.
        const password = adminPassword ?? admin.generatedPassword;
        for (const role of DEMO_ROLES) {
          const account = await seedAdmin(db, { email: `${role}@example.com`, password, role });
          console.log(`console ${role} ${account.email}: ${account.action} (the admin's password)`);
        }
      }
    } else if (adminEmail) {
      console.warn('HERALD_ADMIN_EMAIL is set without HERALD_ADMIN_PASSWORD: no console admin seeded');
    }
  } finally {
    await db.$disconnect();
  }
}
