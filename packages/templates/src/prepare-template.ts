import { analyseHandlebars, type HandlebarsAnalysis } from './analyse-handlebars.js';
import { checkMjmlStructure } from './check-mjml-structure.js';
import { compileMjml } from './compile-mjml.js';
import { footerFor } from './footer-for.js';
import { htmlToPlainText } from './html-to-plain-text.js';
import { parseHandlebars, type HandlebarsProgram } from './parse-handlebars.js';
import type { Requirement } from './requirement.js';
import { isSystemVariable } from './system-variables.js';
import { TemplateSourceError } from './template-source-error.js';
import type { TemplateSourceInput, TemplateSourceIssue } from './types.js';

export interface PreparedTemplate {
  /** MJML's HTML output (footer included), Handlebars expressions still in place: what a save stores. */
  mjmlOutput: string;
  /** The same output parsed. */
  html: HandlebarsProgram;
  subject: HandlebarsProgram;
  /** The plain-text part as a template, or null when it must be derived from each filled HTML. */
  text: HandlebarsProgram | null;
  requirements: Requirement[];
  variables: string[];
}

export type MjmlCompiler = (mjml: string) => Promise<string>;

interface Analysed {
  field: TemplateSourceIssue['field'];
  program: HandlebarsProgram;
  analysis: HandlebarsAnalysis;
}

function analyse(
  source: string,
  field: TemplateSourceIssue['field'],
  issues: TemplateSourceIssue[],
): Analysed | null {
  const parsed = parseHandlebars(source, field);
  if (!parsed.ok) {
    issues.push(parsed.issue);
    return null;
  }
  const analysis = analyseHandlebars(parsed.program, field);
  issues.push(...analysis.issues);
  return { field, program: parsed.program, analysis };
}

/** Required mail has nothing to unsubscribe from, and its sender supplies no unsubscribe URL. */
function refuseUnsubscribeLinks(analysed: (Analysed | null)[], issues: TemplateSourceIssue[]): void {
  for (const entry of analysed) {
    for (const expression of entry?.analysis.expressions ?? []) {
      if (!/\bunsubscribeUrl\b/.test(expression.text)) continue;
      issues.push({
        field: entry?.field ?? 'mjml',
        line: expression.line,
        message: `${expression.text}: required messages cannot be unsubscribed from; link to {{preferencesUrl}} instead`,
      });
    }
  }
}

function checkSubjectShape(subject: string, issues: TemplateSourceIssue[]): void {
  if (subject.trim() === '') issues.push({ field: 'subject', line: 1, message: 'Subject is empty' });
  const lineBreak = subject.search(/[\r\n]/);
  if (lineBreak !== -1) {
    const line = subject.slice(0, lineBreak).split('\n').length + 1;
    issues.push({ field: 'subject', line, message: 'Subject must be a single line' });
  }
}

/** Variables an author must supply: top-level paths, minus system variables and parents of longer paths. */
function variablesOf(analyses: HandlebarsAnalysis[]): string[] {
  const paths = analyses
    .flatMap((analysis) => analysis.paths)
    .filter((parts) => parts.length > 0 && !isSystemVariable(parts[0] ?? ''))
    .map((parts) => parts.join('.'));
  const unique = [...new Set(paths)];
  return unique.filter((path) => !unique.some((other) => other.startsWith(`${path}.`)));
}

/** Puts the footer just before `</mj-body>`, on the same line, so later lines keep their numbers. */
function insertFooter(mjml: string, footer: string): string {
  const bodyEnd = mjml.lastIndexOf('</mj-body>');
  if (bodyEnd === -1) {
    throw new Error('MJML has no </mj-body>; check the structure before inserting the footer');
  }
  return mjml.slice(0, bodyEnd) + footer + mjml.slice(bodyEnd);
}

function throwIfAny(issues: TemplateSourceIssue[]): void {
  if (issues.length === 0) return;
  const order = (issue: TemplateSourceIssue) => (issue.field === 'subject' ? 0 : 1) * 1e9 + (issue.line ?? 0);
  throw new TemplateSourceError([...issues].sort((a, b) => order(a) - order(b)));
}

/**
 * The work shared by validation on save and compilation: check the source, run MJML once,
 * prove MJML kept every Handlebars expression, and derive what render() must check.
 */
export async function prepareTemplate(
  source: TemplateSourceInput,
  compile: MjmlCompiler = compileMjml,
): Promise<PreparedTemplate> {
  const issues: TemplateSourceIssue[] = [];
  checkSubjectShape(source.subject, issues);
  const subject = analyse(source.subject, 'subject', issues);
  const structureIssues = checkMjmlStructure(source.mjml);
  issues.push(...structureIssues);
  const body = analyse(source.mjml, 'mjml', issues);
  if (source.required) refuseUnsubscribeLinks([subject, body], issues);
  if (structureIssues.length > 0) throwIfAny(issues);

  let html = '';
  try {
    html = await compile(insertFooter(source.mjml, footerFor(source)));
  } catch (error) {
    if (!(error instanceof TemplateSourceError)) throw error;
    issues.push(...error.errors);
  }
  throwIfAny(issues);
  if (subject === null || body === null) throw new Error('unreachable: parse failures are issues');

  const output = analyseOutput(html);
  for (const expression of body.analysis.expressions) {
    if (!output.kept.has(expression.text)) {
      issues.push({
        field: 'mjml',
        line: expression.line,
        message: `${expression.text} is lost when MJML renders the email: outside mj-text, mj-button and similar content tags, wrap it in <mj-raw>, e.g. <mj-raw>${expression.text}</mj-raw>`,
      });
    }
  }
  throwIfAny(issues);
  return fromOutput(subject, html, output, variablesOf([subject.analysis, body.analysis]));
}

/**
 * A version saved with its MJML output needs no MJML to be sent: the subject and the stored HTML
 * are parsed again (Handlebars only, microseconds) and give what prepareTemplate gave on save.
 * The HTML was checked then, so a failure here means the row was changed behind Herald's back.
 */
export function prepareCompiledHtml(subjectSource: string, html: string): PreparedTemplate {
  const issues: TemplateSourceIssue[] = [];
  const subject = analyse(subjectSource, 'subject', issues);
  throwIfAny(issues);
  if (subject === null) throw new Error('unreachable: parse failures are issues');
  const output = analyseOutput(html);
  // The output holds every expression of the source (checked on save) plus the footer's, which are
  // system variables.
  return fromOutput(subject, html, output, variablesOf([subject.analysis, output.analysed.analysis]));
}

interface Output {
  analysed: Analysed;
  kept: Set<string>;
}

function analyseOutput(html: string): Output {
  const outputIssues: TemplateSourceIssue[] = [];
  const output = analyse(html, 'mjml', outputIssues);
  if (output === null || outputIssues.length > 0) {
    const reason = outputIssues[0]?.message ?? 'unknown';
    throw new TemplateSourceError([
      {
        field: 'mjml',
        message: `MJML rearranged the Handlebars expressions (${reason}); wrap block expressions that sit between MJML tags in <mj-raw>`,
      },
    ]);
  }
  return {
    analysed: output,
    kept: new Set(output.analysis.expressions.map((expression) => expression.text)),
  };
}

function fromOutput(subject: Analysed, html: string, output: Output, variables: string[]): PreparedTemplate {
  return {
    mjmlOutput: html,
    html: output.analysed.program,
    subject: subject.program,
    text: textTemplateFor(html, output.analysed.analysis),
    requirements: [...subject.analysis.requirements, ...output.analysed.analysis.requirements],
    variables,
  };
}

/**
 * Converting to text once, with the expressions still in place, makes each render a template
 * fill (microseconds) instead of an HTML parse (milliseconds). The result is used only when it
 * parses and contains nothing the HTML does not, so a conversion that damaged an expression
 * falls back to converting each filled HTML instead.
 */
function textTemplateFor(html: string, htmlAnalysis: HandlebarsAnalysis): HandlebarsProgram | null {
  const issues: TemplateSourceIssue[] = [];
  const text = analyse(htmlToPlainText(html), 'mjml', issues);
  if (text === null || issues.length > 0) return null;
  const inHtml = new Set(htmlAnalysis.expressions.map((expression) => expression.text));
  return text.analysis.expressions.every((expression) => inHtml.has(expression.text)) ? text.program : null;
}
