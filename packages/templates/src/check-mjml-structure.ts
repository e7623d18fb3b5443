import { scanMjmlTokens } from './scan-mjml-tokens.js';
import { skipMjmlNoise } from './skip-mjml-noise.js';
import type { TemplateSourceIssue } from './types.js';

// MJML's XML parser silently closes unclosed tags and ignores stray ones, rendering a different
// email than the author wrote; this check refuses what the parser would quietly repair. It runs on
// every template save, on whatever the caller sent, so all of it is linear in the source's length.

interface OpenTag {
  name: string;
  line: number;
}

function issue(line: number, message: string): TemplateSourceIssue {
  return { field: 'mjml', line, message };
}

/** Maps character offsets in `text` to 1-based line numbers. */
function lineLocator(text: string): (offset: number) => number {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
}

/** Open tags with a count per name, so a closing tag finds out whether it closes anything in O(1). */
class OpenTags {
  readonly stack: OpenTag[] = [];
  private readonly counts = new Map<string, number>();

  push(tag: OpenTag): void {
    this.stack.push(tag);
    this.counts.set(tag.name, (this.counts.get(tag.name) ?? 0) + 1);
  }

  has(name: string): boolean {
    return (this.counts.get(name) ?? 0) > 0;
  }

  /** Pops up to and including the innermost open `name`; returns the tags it left unclosed, innermost first. */
  close(name: string): OpenTag[] {
    const unclosed: OpenTag[] = [];
    for (let tag = this.stack.pop(); tag !== undefined; tag = this.stack.pop()) {
      this.counts.set(tag.name, (this.counts.get(tag.name) ?? 1) - 1);
      if (tag.name === name) break;
      unclosed.push(tag);
    }
    return unclosed;
  }
}

export function checkMjmlStructure(mjml: string): TemplateSourceIssue[] {
  const lineAt = lineLocator(mjml);
  const start = skipMjmlNoise(mjml, 0, { xmlDeclaration: true });
  if (!/^<mjml[\s>]/i.test(mjml.slice(start, start + 6))) {
    return [issue(lineAt(start), 'Not an MJML document: it must start with <mjml> and end with </mjml>')];
  }
  const issues: TemplateSourceIssue[] = [];
  const open = new OpenTags();
  let bodyCount = 0;
  let rootClosedAt = -1;

  for (const token of scanMjmlTokens(mjml)) {
    const line = lineAt(token.index);
    if (token.kind === 'comment') {
      if (!token.closed) issues.push(issue(line, 'Comment is never closed (missing -->)'));
      continue;
    }
    if (token.kind === 'unterminated') {
      issues.push(issue(line, `<${token.name} is never ended with ">" (or a quote in it is never closed)`));
      return issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    }
    const { name } = token;
    const slash = token.closing ? '/' : '';
    if (rootClosedAt !== -1) {
      issues.push(issue(line, `<${slash}${name}> after </mjml>: everything must be inside <mjml>`));
      continue;
    }
    if (!token.closing) {
      if (name === 'mj-body') {
        bodyCount += 1;
        if (token.selfClosing) issues.push(issue(line, '<mj-body> must have a closing </mj-body>'));
      }
      if (!token.selfClosing) open.push({ name, line });
      continue;
    }
    if (!open.has(name)) {
      issues.push(issue(line, `</${name}> closes nothing: there is no open <${name}>`));
      continue;
    }
    for (const unclosed of open.close(name)) {
      issues.push(issue(unclosed.line, `<${unclosed.name}> is not closed before </${name}> on line ${line}`));
    }
    if (name === 'mjml' && open.stack.length === 0) rootClosedAt = token.end;
  }

  for (const unclosed of [...open.stack].reverse()) {
    issues.push(issue(unclosed.line, `<${unclosed.name}> is never closed`));
  }
  if (rootClosedAt !== -1 && skipMjmlNoise(mjml, rootClosedAt, { xmlDeclaration: false }) !== mjml.length) {
    issues.push(issue(lineAt(rootClosedAt), 'Content after </mjml>: everything must be inside <mjml>'));
  }
  if (bodyCount !== 1 && issues.length === 0) {
    issues.push(
      issue(
        1,
        bodyCount === 0 ? 'The document has no <mj-body>' : 'The document has more than one <mj-body>',
      ),
    );
  }
  return issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}
