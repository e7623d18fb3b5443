import { decodeEncodedWords } from '../decode-encoded-words.js';
import type { CaughtMessage } from '../types.js';
import { escapeHtml, formatTime, renderBadge, renderLayout } from './html.js';

/** GET /: every kept message, newest first. */
export function renderInboxPage(messages: ReadonlyArray<CaughtMessage>, accepted: number): string {
  const newestFirst = [...messages].reverse();
  const dropped = accepted - messages.length;
  const items = newestFirst.map(renderItem).join('\n');
  const body = `
<div class="bar">
  <h1>Inbox <span class="meta">(${messages.length} message${messages.length === 1 ? '' : 's'}${dropped > 0 ? `, ${dropped} older dropped` : ''})</span></h1>
  <form method="post" action="/clear"><button type="submit" class="danger">Empty inbox</button></form>
</div>
<p class="meta"><a href="/">Refresh</a> · <a href="/api/messages">JSON</a></p>
${messages.length === 0 ? '<p>No mail yet. Messages appear here as soon as they are sent to this catcher; refresh the page.</p>' : `<ol class="inbox">\n${items}\n</ol>`}`;
  return renderLayout('Inbox', body);
}

function renderItem(message: CaughtMessage): string {
  const subject = message.subject ?? '(no subject)';
  const from = decodeEncodedWords(message.header('from') ?? message.envelope.from);
  return `<li><a href="/messages/${encodeURIComponent(message.id)}">
  <div class="subject">${escapeHtml(subject)}</div>
  <div class="meta">${renderBadge('X-Herald-Class', message.header('x-herald-class'))}${renderBadge('X-Herald-Category', message.header('x-herald-category'))}</div>
  <div class="meta">From ${escapeHtml(from || '<>')} · to ${escapeHtml(message.envelope.to.join(', '))}</div>
  <div class="meta"><time datetime="${new Date(message.receivedAt).toISOString()}">${formatTime(message.receivedAt)}</time></div>
</a></li>`;
}
