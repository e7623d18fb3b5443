import { describe, expect, it } from 'vitest';
import { createTemplateRenderer } from '../src/index.js';
import { tidyPlainText } from '../src/html-to-plain-text.js';
import { collapseLineBreaks } from '../src/collapse-line-breaks.js';
import { mjmlWith, system, withinASecond } from './helpers.js';

/**
 * Issue 11, finding 4: a run of 50,000 spaces in a message's data took seconds per render with
 * the regular expressions the subject and the text part were cleaned with (about 5 s for the
 * subject and 9 s for the text part), and a render runs again on every retry. The bound of a
 * second is generous for what is now one pass over each string.
 */
const SPACES = ' '.repeat(50_000);

describe('a long run of spaces in the data renders in linear time', () => {
  const renderer = createTemplateRenderer();
  const compiled = renderer.compile({
    id: 'long-whitespace@1',
    subject: 'News: {{headline}}',
    mjml: mjmlWith('<mj-text>{{body}}</mj-text>'),
    class: 'transactional',
    required: false,
  });

  it('in the subject, keeping the spaces and folding a line break with the spaces around it', async () => {
    const template = await compiled;
    const spaced = withinASecond(() =>
      renderer.render(template, { ...system, headline: `a${SPACES}b`, body: 'x' }),
    );
    expect(spaced.subject).toBe(`News: a${SPACES}b`);
    const broken = withinASecond(() =>
      renderer.render(template, { ...system, headline: `a${SPACES}\r\n${SPACES}b`, body: 'x' }),
    );
    expect(broken.subject).toBe('News: a b');
  });

  it('in the text part, keeping the spaces inside a line', async () => {
    const template = await compiled;
    const message = withinASecond(() =>
      renderer.render(template, { ...system, headline: 'x', body: `a${SPACES}b` }),
    );
    expect(message.text).toContain(`a${SPACES}b`);
  });

  it('tidyPlainText drops spaces and tabs at line ends and extra blank lines, and nothing else', () => {
    const text = `  intro${SPACES}middle${SPACES}\n\n\n\nnext \t\r\nlast${SPACES}`;
    expect(withinASecond(() => tidyPlainText(text))).toBe(`intro${SPACES}middle\n\nnext\r\nlast`);
  });

  it('collapseLineBreaks folds only the whitespace runs that hold a line break', () => {
    const text = `a${SPACES}b${SPACES}\u2028${SPACES}c\td`;
    expect(withinASecond(() => collapseLineBreaks(text))).toBe(`a${SPACES}b c\td`);
  });
});
