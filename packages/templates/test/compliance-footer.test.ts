import { describe, expect, it } from 'vitest';
import { createTemplateRenderer, footerFor, type TemplateClass } from '../src/index.js';
import { mjmlWith, system } from './helpers.js';

const renderer = createTemplateRenderer();

async function render(templateClass: TemplateClass, required: boolean) {
  const compiled = await renderer.compile({
    id: `footer-${templateClass}-${required}`,
    subject: 'Footer check',
    mjml: mjmlWith('<mj-text>Body copy</mj-text>'),
    class: templateClass,
    required,
  });
  return renderer.render(compiled, { ...system });
}

describe('class-appropriate footer', () => {
  it('gives promotional mail an unsubscribe link, a preference link and the postal address', async () => {
    const message = await render('promotional', false);
    expect(message.html).toMatch(/<a href="https:\/\/example.com\/u\/preview-token"[^>]*>Unsubscribe<\/a>/);
    expect(message.html).toMatch(
      /<a href="https:\/\/example.com\/preferences\/preview-token"[^>]*>Manage your email preferences<\/a>/,
    );
    expect(message.html).toContain(system.postalAddress);
    expect(message.text).toContain(`Unsubscribe [${system.unsubscribeUrl}]`);
    expect(message.text).toContain(`[${system.preferencesUrl}]`);
    expect(message.text).toContain(system.postalAddress);
  });

  it('gives optional transactional mail an unsubscribe-from-this-kind link and a preference link', async () => {
    const message = await render('transactional', false);
    expect(message.html).toMatch(
      /<a href="https:\/\/example.com\/u\/preview-token"[^>]*>Unsubscribe from this kind of email<\/a>/,
    );
    expect(message.text).toContain(`[${system.preferencesUrl}]`);
  });

  it('gives required transactional mail a preference link and no unsubscribe link', async () => {
    const message = await render('transactional', true);
    expect(message.html).not.toContain(system.unsubscribeUrl);
    expect(message.html).not.toMatch(/>\s*Unsubscribe/i);
    expect(message.text).not.toContain(system.unsubscribeUrl);
    expect(message.html).toContain(`href="${system.preferencesUrl}"`);
    expect(message.text).toContain(`[${system.preferencesUrl}]`);
  });

  it('does not need an unsubscribe URL for required mail', async () => {
    const compiled = await renderer.compile({
      id: 'footer-required-no-unsubscribe',
      subject: 'Policy',
      mjml: mjmlWith('<mj-text>Body</mj-text>'),
      class: 'transactional',
      required: true,
    });
    const { unsubscribeUrl: _none, ...withoutUnsubscribe } = system;
    expect(renderer.render(compiled, withoutUnsubscribe).html).toContain(system.preferencesUrl);
  });

  it('refuses a required promotional class', () => {
    expect(() => footerFor({ class: 'promotional', required: true })).toThrow(/Only transactional/);
  });

  it('is a single line, so author line numbers survive insertion', () => {
    for (const required of [true, false])
      expect(footerFor({ class: 'transactional', required })).not.toContain('\n');
    expect(footerFor({ class: 'promotional', required: false })).not.toContain('\n');
  });
});
