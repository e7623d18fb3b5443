import { describe, expect, it } from 'vitest';
import { validateTemplateSource } from '../src/index.js';
import { checkMjmlStructure } from '../src/check-mjml-structure.js';
import { mjmlWith, withinASecond } from './helpers.js';

/**
 * Issue 11, finding 3: the structure check runs on every template save, on whatever the caller
 * sent. Each input here took seconds (the first: about 4 s for 25 spaces, doubling with each
 * further one) with the regular expressions the check used before; the bound of a second is
 * generous for what is now one pass over the source.
 */
describe('checkMjmlStructure reads any source in linear time', () => {
  it('refuses whitespace then text after </mjml> at once, naming the content after the root', async () => {
    const document = `${mjmlWith('<mj-text>Hello</mj-text>')}\n${' '.repeat(24)}.`;
    const issues = withinASecond(() => checkMjmlStructure(document));
    expect(issues).toEqual([
      { field: 'mjml', line: 9, message: 'Content after </mjml>: everything must be inside <mjml>' },
    ]);
    const result = await validateTemplateSource({
      subject: 'Hello',
      mjml: document,
      class: 'transactional',
      required: false,
    });
    expect(result).toEqual({ ok: false, errors: issues });
  });

  it('still accepts whitespace and comments after </mjml>', () => {
    const document = `${mjmlWith('<mj-text>Hello</mj-text>')}\n${' \t\n'.repeat(20_000)}<!-- end -->\n`;
    expect(withinASecond(() => checkMjmlStructure(document))).toEqual([]);
  });

  it('refuses 30,000 tags that never end with ">" at once, naming the first', () => {
    const document = `<mjml>\n<mj-body>\n${'<mj-text '.repeat(30_000)}`;
    expect(withinASecond(() => checkMjmlStructure(document))).toEqual([
      {
        field: 'mjml',
        line: 3,
        message: '<mj-text is never ended with ">" (or a quote in it is never closed)',
      },
    ]);
  });

  it('names a quote in a tag that is never closed', () => {
    const document = mjmlWith('<mj-text color="#333>Hi</mj-text>');
    expect(checkMjmlStructure(document)).toEqual([
      {
        field: 'mjml',
        line: 5,
        message: '<mj-text is never ended with ">" (or a quote in it is never closed)',
      },
    ]);
  });

  it('answers 15,000 open tags and 15,000 closing tags that close nothing at once', () => {
    const document = `<mjml><mj-body>${'<mj-section>'.repeat(15_000)}${'</mj-column>'.repeat(15_000)}</mj-body></mjml>`;
    const issues = withinASecond(() => checkMjmlStructure(document));
    expect(issues.filter((issue) => issue.message.startsWith('</mj-column> closes nothing'))).toHaveLength(
      15_000,
    );
    expect(
      issues.filter((issue) => issue.message.startsWith('<mj-section> is not closed before </mj-body>')),
    ).toHaveLength(15_000);
  });
});
