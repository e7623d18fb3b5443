import { data } from '@remix-run/node';
import type { RenderedEmail, TemplateLocalesView, TemplateView } from '@herald/contract';
import { callApiAs, readApiAs, type ConsoleCaller } from '../api-client.server';

/** The templates page: each category's templates and translations, the languages they lack, the fallbacks. */
export function loadTemplatesPage(caller: ConsoleCaller): Promise<TemplateLocalesView> {
  return readApiAs<TemplateLocalesView>(caller, '/v1/template-locales');
}

/**
 * One template rendered with its sample data, in the default or one translation (`locale`), as a
 * reader of that language gets it. An unknown key or locale is the 404 page.
 */
export async function loadTemplatePreview(
  caller: ConsoleCaller,
  key: string,
  locale: string | null,
): Promise<{ template: TemplateView; locale: string | null; preview: RenderedEmail }> {
  const template = await readApiAs<TemplateView>(caller, `/v1/templates/${encodeURIComponent(key)}`);
  const preview = await callApiAs<RenderedEmail>(
    caller,
    'POST',
    `/v1/templates/${encodeURIComponent(key)}/preview`,
    locale ? { locale } : {},
  );
  if (!preview.ok) throw data(null, { status: 404 });
  return { template, locale, preview: preview.body };
}
