import type { TemplateSourceIssue } from './types.js';

// MJML's XML parser silently closes unclosed tags and ignores stray ones, rendering a different
// email than the author wrote; this check refuses what the parser would quietly repair.
const tokenPattern =
  /<!--[\s\S]*?(?:-->|$)|<(\/?)(mjml|mj-[a-z0-9-]+)(?=[\s/>])((?:"[^"]*"|'[^']*'|[^'">])*)>/gi;
const leadingNoise = /^(?:\s+|<\?xml[^>]*\?>|<!--[\s\S]*?-->)*/;
const onlyNoise = /^(?:\s+|<!--[\s\S]*?-->)*$/;

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

export function checkMjmlStructure(mjml: string): TemplateSourceIssue[] {
  const lineAt = lineLocator(mjml);
  const start = leadingNoise.exec(mjml)?.[0].length ?? 0;
  if (!/^<mjml[\s>]/i.test(mjml.slice(start))) {
    return [issue(lineAt(start), 'Not an MJML document: it must start with <mjml> and end with </mjml>')];
  }
  const issues: TemplateSourceIssue[] = [];
  const open: OpenTag[] = [];
  let bodyCount = 0;
  let rootClosedAt = -1;

  for (const match of mjml.matchAll(tokenPattern)) {
    const [token, slash, rawName, attributes = ''] = match;
    const line = lineAt(match.index);
    if (rawName === undefined) {
      if (!token.endsWith('-->')) issues.push(issue(line, 'Comment is never closed (missing -->)'));
      continue;
    }
    const name = rawName.toLowerCase();
    if (rootClosedAt !== -1) {
      issues.push(issue(line, `<${slash}${name}> after </mjml>: everything must be inside <mjml>`));
      continue;
    }
    if (slash === '') {
      const selfClosing = attributes.trimEnd().endsWith('/');
      if (name === 'mj-body') {
        bodyCount += 1;
        if (selfClosing) issues.push(issue(line, '<mj-body> must have a closing </mj-body>'));
      }
      if (!selfClosing) open.push({ name, line });
      continue;
    }
    const depth = open.map((tag) => tag.name).lastIndexOf(name);
    if (depth === -1) {
      issues.push(issue(line, `</${name}> closes nothing: there is no open <${name}>`));
      continue;
    }
    for (const unclosed of open.splice(depth + 1).reverse()) {
      issues.push(issue(unclosed.line, `<${unclosed.name}> is not closed before </${name}> on line ${line}`));
    }
    open.pop();
    if (name === 'mjml' && open.length === 0) rootClosedAt = match.index + token.length;
  }

  for (const unclosed of open.reverse()) {
    issues.push(issue(unclosed.line, `<${unclosed.name}> is never closed`));
  }
  if (rootClosedAt !== -1 && !onlyNoise.test(mjml.slice(rootClosedAt))) {
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
