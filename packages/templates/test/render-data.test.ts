import { describe, expect, it } from 'vitest';
import {
  TemplateDataError,
  createTemplateRenderer,
  seedTemplates,
  type TemplateSource,
} from '../src/index.js';
import { mjmlWith, sourceOf, system } from './helpers.js';

const renderer = createTemplateRenderer();

function seed(key: string) {
  const template = seedTemplates.find((candidate) => candidate.key === key);
  if (template === undefined) throw new Error(`no seed ${key}`);
  return template;
}

function schemaless(id: string, content: string, subject = 'Hello'): TemplateSource {
  return {
    id,
    subject,
    mjml: mjmlWith(`<mj-text>${content}</mj-text>`),
    class: 'transactional',
    required: false,
  };
}

function dataErrorOf(action: () => unknown): TemplateDataError {
  try {
    action();
  } catch (error) {
    if (error instanceof TemplateDataError) return error;
    throw error;
  }
  throw new Error('expected a TemplateDataError');
}

describe('render with a schema', () => {
  it('names a missing variable', async () => {
    const template = seed('collaboration-invite');
    const compiled = await renderer.compile(sourceOf(template));
    const { workspaceName: _omitted, ...data } = template.fixture;
    const error = dataErrorOf(() => renderer.render(compiled, { ...data, ...system }));
    expect(error.variable).toBe('workspaceName');
    expect(error.message).toMatch(/^workspaceName: is missing/);
  });

  it('names a variable of the wrong type', async () => {
    const template = seed('security-sign-in');
    const compiled = await renderer.compile(sourceOf(template));
    const error = dataErrorOf(() =>
      renderer.render(compiled, { ...template.fixture, expiresInMinutes: 'soon', ...system }),
    );
    expect(error.variable).toBe('expiresInMinutes');
    expect(error.message).toMatch(/expected number/);
  });

  it('names the exact list item that is wrong', async () => {
    const template = seed('newsletter');
    const compiled = await renderer.compile(sourceOf(template));
    const articles = [
      { title: 'One', summary: 'First', url: 'https://example.com/1' },
      { title: 'Two', summary: 'Second', url: 'javascript:alert(1)' },
    ];
    const error = dataErrorOf(() => renderer.render(compiled, { ...template.fixture, articles, ...system }));
    expect(error.variable).toBe('articles[1].url');
  });

  it('names a missing system variable the footer needs', async () => {
    const template = seed('newsletter');
    const compiled = await renderer.compile(sourceOf(template));
    const { postalAddress: _omitted, ...systemWithoutAddress } = system;
    const error = dataErrorOf(() =>
      renderer.render(compiled, { ...template.fixture, ...systemWithoutAddress }),
    );
    expect(error.variable).toBe('postalAddress');
  });

  it('renders optional variables when absent, without a blank', async () => {
    const template = seed('service-notice');
    const compiled = await renderer.compile(sourceOf(template));
    const { name: _name, ...anonymous } = system;
    const message = renderer.render(compiled, { title: 'Heads up', body: 'Nothing to do.', ...anonymous });
    expect(message.html).not.toContain('Hi ');
    expect(message.html).not.toContain('href=""');
    expect(message.text).toContain('Nothing to do.');
  });
});

describe('render without a schema', () => {
  it('names a missing top-level variable', async () => {
    const compiled = await renderer.compile(schemaless('plain-1', 'Dear {{title}}'));
    expect(dataErrorOf(() => renderer.render(compiled, { ...system })).variable).toBe('title');
  });

  it('names a missing nested path', async () => {
    const compiled = await renderer.compile(schemaless('plain-2', 'Owner: {{user.name}}'));
    const error = dataErrorOf(() => renderer.render(compiled, { user: {}, ...system }));
    expect(error).toMatchObject({ variable: 'user.name', message: 'user.name: is missing' });
    expect(dataErrorOf(() => renderer.render(compiled, { ...system })).variable).toBe('user.name');
  });

  it('names a missing field of one list item', async () => {
    const compiled = await renderer.compile(
      schemaless('plain-3', '{{#each links}}<a href="{{url}}">{{label}}</a>{{/each}}'),
    );
    const links = [{ url: 'https://a.example', label: 'A' }, { url: 'https://b.example' }];
    expect(dataErrorOf(() => renderer.render(compiled, { links, ...system })).variable).toBe(
      'links[1].label',
    );
    expect(dataErrorOf(() => renderer.render(compiled, { ...system })).variable).toBe('links');
  });

  it('refuses an object where text belongs rather than printing [object Object]', async () => {
    const compiled = await renderer.compile(schemaless('plain-4', 'Hi {{who}}'));
    const error = dataErrorOf(() => renderer.render(compiled, { who: { first: 'Ada' }, ...system }));
    expect(error).toMatchObject({
      variable: 'who',
      problem: expect.stringMatching(/not a list or an object/),
    });
  });

  it('checks only the branch that renders', async () => {
    const compiled = await renderer.compile(
      schemaless('plain-5', '{{#if coupon}}Use {{coupon.code}}{{else}}No coupon{{/if}}'),
    );
    expect(renderer.render(compiled, { ...system }).text).toContain('No coupon');
    expect(renderer.render(compiled, { coupon: { code: 'SAVE10' }, ...system }).text).toContain('Use SAVE10');
    expect(
      dataErrorOf(() => renderer.render(compiled, { coupon: { percent: 10 }, ...system })).variable,
    ).toBe('coupon.code');
  });
});

describe('render output', () => {
  it('HTML-escapes data, including <script>', async () => {
    const compiled = await renderer.compile(schemaless('escape-1', '<p>{{comment}}</p>'));
    const message = renderer.render(compiled, { comment: '<script>alert("x")</script>', ...system });
    expect(message.html).not.toContain('<script>');
    expect(message.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(message.text).toContain('<script>alert("x")</script>');
  });

  it('keeps the subject on one line and does not HTML-escape it', async () => {
    const compiled = await renderer.compile(schemaless('subject-1', 'Hi', 'News from {{team}}'));
    const message = renderer.render(compiled, { team: 'R&D\r\nBcc: victim@example.com', ...system });
    expect(message.subject).toBe('News from R&D Bcc: victim@example.com');
  });
});
