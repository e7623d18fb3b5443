export {
  createTemplateRenderer,
  type TemplateRenderer,
  type TemplateRendererOptions,
} from './create-template-renderer.js';
export type { CompiledTemplate } from './compiled-template.js';
export { validateTemplateSource, type TemplateSourceValidation } from './validate-template-source.js';
export { footerFor } from './footer-for.js';
export { insertFooter } from './insert-footer.js';
export { compileMjml } from './compile-mjml.js';
export { TemplateSourceError } from './template-source-error.js';
export { TemplateDataError } from './template-data-error.js';
export {
  SYSTEM_VARIABLES,
  SystemVariablesSchema,
  exampleSystemVariables,
  isSystemVariable,
  type SystemVariableName,
  type SystemVariables,
} from './system-variables.js';
export type {
  RenderedMessage,
  TemplateClass,
  TemplateSource,
  TemplateSourceInput,
  TemplateSourceIssue,
} from './types.js';
export { seedTemplates } from './seed/seed-templates.js';
export { seedCategories, type CategoryDefinition } from './seed/seed-categories.js';
export type { TemplateDefinition } from './seed/template-definition.js';
export { ServiceNoticeDataSchema } from './seed/service-notice.js';
export { SecuritySignInDataSchema } from './seed/security-sign-in.js';
export { PolicyUpdateDataSchema } from './seed/policy-update.js';
export { CollaborationInviteDataSchema } from './seed/collaboration-invite.js';
export { NewsletterArticleSchema, NewsletterDataSchema } from './seed/newsletter.js';
export { WebUrlSchema } from './seed/web-url-schema.js';
