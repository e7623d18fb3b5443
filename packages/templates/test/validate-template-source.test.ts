import { describe, expect, it } from 'vitest';
import { validateTemplateSource, type TemplateSourceIssue } from '../src/index.js';
import { mjmlWith } from './helpers.js';

const transactional = { class: 'transactional', required: false } as const;

async function errorsOf(mjml: string, subject = 'Hello'): Promise<TemplateSourceIssue[]> {
  const result = await validateTemplateSource({ subject, mjml, ...transactional });
  if (result.ok) throw new Error('expected the source to be refused');
  return result.errors;
}

describe('validateTemplateSource: MJML', () => {
  it('accepts a valid document and lists its variables', async () => {
    const result = await validateTemplateSource({
      subject: 'Hi {{name}}: {{topic}}',
      mjml: mjmlWith('<mj-text>{{greeting}}, {{user.name}}. Contact {{email}}.</mj-text>'),
      ...transactional,
    });
    expect(result).toMatchObject({ ok: true, variables: ['topic', 'greeting', 'user.name'] });
  });

  it('refuses an unknown tag, with its line and reason', async () => {
    const errors = await errorsOf(mjmlWith('<mj-sparkle>Hi</mj-sparkle>'));
    expect(errors).toEqual([
      {
        field: 'mjml',
        line: 5,
        message: expect.stringMatching(/mj-sparkle.*(doesn't exist|not registered)/),
      },
    ]);
  });

  it('refuses mj-text directly under mj-body', async () => {
    const errors = await errorsOf(
      ['<mjml>', '<mj-body>', '<mj-text>Hi</mj-text>', '</mj-body>', '</mjml>'].join('\n'),
    );
    expect(errors).toEqual([
      { field: 'mjml', line: 3, message: expect.stringMatching(/mj-text cannot be used inside mj-body/) },
    ]);
  });

  it('refuses an unclosed tag that MJML itself would quietly close', async () => {
    const errors = await errorsOf(mjmlWith('<mj-text>Hi'));
    expect(errors).toEqual([
      { field: 'mjml', line: 5, message: '<mj-text> is not closed before </mj-column> on line 6' },
    ]);
  });

  it('refuses a closing tag that closes nothing', async () => {
    const errors = await errorsOf(mjmlWith('<mj-text>Hi</mj-text></mj-button>'));
    expect(errors).toEqual([
      { field: 'mjml', line: 5, message: expect.stringMatching(/<\/mj-button> closes nothing/) },
    ]);
  });

  it('refuses an invalid attribute value', async () => {
    const errors = await errorsOf(mjmlWith('<mj-text color="not a colour">Hi</mj-text>'));
    expect(errors[0]).toMatchObject({ field: 'mjml', line: 5 });
  });

  it.each([
    ['plain HTML', '<html><body><p>Hello</p></body></html>'],
    ['text', 'Hello {{name}}'],
    ['nothing', ''],
  ])('refuses %s: not an <mjml> document', async (_label, mjml) => {
    const errors = await errorsOf(mjml);
    expect(errors).toEqual([
      { field: 'mjml', line: 1, message: expect.stringMatching(/Not an MJML document/) },
    ]);
  });

  it('refuses content after </mjml>', async () => {
    const errors = await errorsOf(`${mjmlWith('<mj-text>Hi</mj-text>')}\n<p>extra</p>`);
    expect(errors[0]?.message).toMatch(/after <\/mjml>/);
  });

  it('refuses a document without mj-body', async () => {
    const errors = await errorsOf('<mjml>\n<mj-head><mj-title>x</mj-title></mj-head>\n</mjml>');
    expect(errors[0]?.message).toMatch(/no <mj-body>/);
  });
});

describe('validateTemplateSource: Handlebars', () => {
  it('reports a syntax error in the MJML with its line', async () => {
    const errors = await errorsOf(mjmlWith('<mj-text>Hello {{name</mj-text>'));
    expect(errors).toEqual([
      { field: 'mjml', line: 5, message: expect.stringMatching(/^Handlebars: Parse error/) },
    ]);
  });

  it('reports a mismatched block with its line', async () => {
    const errors = await errorsOf(mjmlWith('<mj-text>{{#if a}}\nA\n{{/each}}</mj-text>'));
    expect(errors).toEqual([
      { field: 'mjml', line: 5, message: expect.stringMatching(/if doesn't match each/) },
    ]);
  });

  it('reports a syntax error in the subject', async () => {
    const errors = await errorsOf(mjmlWith('<mj-text>Hi</mj-text>'), 'Hello {{#if name}}');
    expect(errors).toEqual([{ field: 'subject', line: 1, message: expect.stringMatching(/^Handlebars:/) }]);
  });

  it('refuses a subject on more than one line', async () => {
    const errors = await errorsOf(mjmlWith('<mj-text>Hi</mj-text>'), 'Hello\nBcc: someone@example.com');
    expect(errors).toEqual([{ field: 'subject', line: 2, message: 'Subject must be a single line' }]);
  });

  it('refuses helpers, partials and unescaped output', async () => {
    const errors = await errorsOf(
      mjmlWith('<mj-text>{{lookup a b}}\n{{> footer}}\n{{{raw}}}\n{{#custom x}}y{{/custom}}</mj-text>'),
    );
    expect(errors.map((error) => error.line)).toEqual([5, 6, 7, 8]);
    expect(errors.map((error) => error.message)).toEqual([
      expect.stringMatching(/not helpers/),
      expect.stringMatching(/partial.*not supported/),
      expect.stringMatching(/Unescaped output/),
      expect.stringMatching(/\{\{#custom\}\} is not available/),
    ]);
  });

  it('refuses a block helper MJML would drop, and says to use mj-raw', async () => {
    const errors = await errorsOf(mjmlWith('{{#if url}}\n<mj-button href="{{url}}">Go</mj-button>\n{{/if}}'));
    expect(errors[0]).toEqual({
      field: 'mjml',
      line: 5,
      message: expect.stringMatching(/\{\{#if url\}\} is lost.*<mj-raw>/),
    });
  });

  it('refuses an {{else}} MJML would drop while keeping its block', async () => {
    const errors = await errorsOf(
      mjmlWith(
        '<mj-raw>{{#if vip}}</mj-raw>\n<mj-text>Gold</mj-text>\n{{else}}\n<mj-text>Standard</mj-text>\n<mj-raw>{{/if}}</mj-raw>',
      ),
    );
    expect(errors).toEqual([
      { field: 'mjml', line: 7, message: expect.stringMatching(/\{\{else\}\} of \{\{#if vip\}\} is lost/) },
    ]);
  });

  it('accepts block helpers wrapped in mj-raw', async () => {
    const result = await validateTemplateSource({
      subject: 'Hi',
      mjml: mjmlWith(
        '<mj-raw>{{#if url}}</mj-raw>\n<mj-button href="{{url}}">Go</mj-button>\n<mj-raw>{{/if}}</mj-raw>',
      ),
      ...transactional,
    });
    expect(result).toMatchObject({ ok: true, variables: ['url'] });
  });

  it('refuses an unsubscribe link in required mail, which has nothing to unsubscribe from', async () => {
    const result = await validateTemplateSource({
      subject: 'Policy',
      mjml: mjmlWith('<mj-text><a href="{{unsubscribeUrl}}">Unsubscribe</a></mj-text>'),
      class: 'transactional',
      required: true,
    });
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          field: 'mjml',
          line: 5,
          message: expect.stringMatching(/required messages cannot be unsubscribed/),
        },
      ],
    });
  });

  it('excludes system variables and names local to #each from the variables', async () => {
    const result = await validateTemplateSource({
      subject: '{{headline}}',
      mjml: mjmlWith(
        '<mj-text>{{#each items as |item|}}{{title}} {{item.url}} {{@index}} {{this.note}} {{../footnote}} {{@root.edition}}{{/each}} {{unsubscribeUrl}} {{messageId}}</mj-text>',
      ),
      class: 'promotional',
      required: false,
    });
    expect(result).toMatchObject({ ok: true, variables: ['headline', 'items', 'footnote', 'edition'] });
  });

  it('names nested paths inside #with', async () => {
    const result = await validateTemplateSource({
      subject: 'Hi',
      mjml: mjmlWith('<mj-text>{{#with account}}{{owner.name}} {{plan}}{{/with}}</mj-text>'),
      ...transactional,
    });
    expect(result).toMatchObject({ ok: true, variables: ['account.owner.name', 'account.plan'] });
  });
});
