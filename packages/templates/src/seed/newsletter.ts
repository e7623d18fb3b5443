import { z } from 'zod';
import { defineTemplate } from './define-template.js';
import { WebUrlSchema } from './web-url-schema.js';

const NewsletterArticleSchema = z.object({
  title: z.string().min(1).max(200),
  summary: z.string().min(1),
  url: WebUrlSchema,
});

const NewsletterDataSchema = z.object({
  headline: z.string().min(1).max(200),
  intro: z.string().min(1),
  articles: z.array(NewsletterArticleSchema).min(1).max(20),
  /** An image without a description is not accessible, so alt text is required with it. */
  hero: z.object({ url: WebUrlSchema, alt: z.string().min(1).max(250) }).optional(),
});

export const newsletter = defineTemplate({
  key: 'newsletter',
  categoryKey: 'newsletter',
  schema: NewsletterDataSchema,
  fixture: {
    headline: 'What we shipped in November',
    intro: 'Three releases this month: faster search, shared templates and a calmer inbox.',
    articles: [
      {
        title: 'Search is now three times faster',
        summary: 'We rebuilt the index so results appear as you type, even in the largest workspaces.',
        url: 'https://example.com/blog/faster-search',
      },
      {
        title: 'Share templates across your team',
        summary: 'Save any document as a template and everyone in the workspace can start from it.',
        url: 'https://example.com/blog/shared-templates',
      },
      {
        title: 'A calmer inbox with digest notifications',
        summary: 'Bundle mentions and comments into one daily email, at the hour you choose.',
        url: 'https://example.com/blog/digests',
      },
    ],
  },
});
