import type { ZodType } from 'zod';

export type TemplateClass = 'transactional' | 'promotional';

/** Where a template's source went wrong, in terms an author can act on. */
export interface TemplateSourceIssue {
  field: 'subject' | 'mjml';
  line?: number;
  message: string;
}

export interface TemplateSourceInput {
  subject: string;
  mjml: string;
  class: TemplateClass;
  required: boolean;
  /** The variant's locale: the footer is written in its language. Null or absent: the default (English). */
  locale?: string | null | undefined;
}

export interface TemplateSource extends TemplateSourceInput {
  /** The template version id: versions are immutable, so it is the cache key. */
  id: string;
  /**
   * MJML's output for this source as validateTemplateSource gave it on save. With it the renderer
   * never loads MJML (about 60 MB a process); without it (a version saved before Herald kept it)
   * MJML runs once for the version.
   */
  html?: string | undefined;
  schema?: ZodType;
}

export interface RenderedMessage {
  subject: string;
  html: string;
  text: string;
}
