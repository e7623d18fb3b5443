export { createTemplateRenderer, type TemplateRenderer } from './create-template-renderer.js';
export type { CompiledTemplate } from './compiled-template.js';
export { validateTemplateSource } from './validate-template-source.js';
export { footerFor, footerLocales } from './footer-for.js';
export {
  DEFAULT_TEMPLATE_LOCALE,
  directionOf,
  languageOf,
  localeChain,
  pickLocale,
} from './locales/locale-chain.js';
export { compileMjml } from './compile-mjml.js';
export { TemplateSourceError } from './template-source-error.js';
export { TemplateDataError } from './template-data-error.js';
export {
  SYSTEM_VARIABLES,
  SystemVariablesSchema,
  exampleSystemVariables,
  isSystemVariable,
  sampleSystemVariables,
  type SystemVariableName,
  type SystemVariables,
} from './system-variables.js';
export type { RenderedMessage, TemplateClass, TemplateSource, TemplateSourceIssue } from './types.js';
export { seedTemplates } from './seed/seed-templates.js';
export { secretVariablesOf } from './seed/secret-variables-of.js';
export { seedCategories } from './seed/seed-categories.js';
export type { TemplateDefinition, TemplateVariantDefinition } from './seed/template-definition.js';
export { WebUrlSchema } from './seed/web-url-schema.js';
