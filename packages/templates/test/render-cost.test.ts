import { expect, it } from 'vitest';
import { createTemplateRenderer, seedTemplates } from '../src/index.js';
import { htmlToPlainText } from '../src/html-to-plain-text.js';
import { sourceOf, system } from './helpers.js';

// Prints figures rather than asserting them: timing on a shared 2-core machine is too noisy to gate on.
it('renders the newsletter per recipient in microseconds', async () => {
  const newsletter = seedTemplates.find((template) => template.key === 'newsletter');
  if (newsletter === undefined) throw new Error('newsletter missing');
  const renderer = createTemplateRenderer();
  const compiled = await renderer.compile(sourceOf(newsletter));
  const renders = 10_000;
  for (let i = 0; i < 200; i += 1) renderer.render(compiled, { ...newsletter.fixture, ...system });

  const started = performance.now();
  let last = '';
  for (let i = 0; i < renders; i += 1) {
    last = renderer.render(compiled, {
      ...newsletter.fixture,
      ...system,
      email: `reader${i}@example.com`,
    }).html;
  }
  const perMessage = (performance.now() - started) / renders;

  // The alternative design: convert each filled HTML to text instead of filling a text template.
  const html = renderer.render(compiled, { ...newsletter.fixture, ...system }).html;
  const conversions = 500;
  const conversionStarted = performance.now();
  for (let i = 0; i < conversions; i += 1) htmlToPlainText(html);
  const perConversion = (performance.now() - conversionStarted) / conversions;

  console.log(
    `newsletter render: ${(perMessage * 1000).toFixed(1)} µs per message over ${renders} renders ` +
      `(subject + HTML + text from a text template); converting each filled HTML to text instead would add ${(perConversion * 1000).toFixed(0)} µs per message`,
  );
  expect(last).toContain(`reader${renders - 1}@example.com`);
});
