import type { ParsedMail } from 'mailparser';
import { decodeEncodedWords } from '../decode-encoded-words.js';
import type { CaughtMessage } from '../types.js';
import { findHtmlLinks, isSafeLink, parseListUnsubscribe } from './find-links.js';
import { escapeHtml, formatTime, renderBadge, renderLayout } from './html.js';

/** GET /messages/:id. `parsed` is null when the body was not kept. */
export function renderMessagePage(message: CaughtMessage, parsed: ParsedMail | null): string {
  const path = `/messages/${encodeURIComponent(message.id)}`;
  const headers = message.headers();
  const heraldHeaders = headers.filter((field) => field.name.toLowerCase().startsWith('x-herald-'));
  const body = `
<p><a href="/">← Inbox</a></p>
<h1>${escapeHtml(message.subject ?? '(no subject)')}</h1>
<p>${renderBadge('X-Herald-Class', message.header('x-herald-class'))}${renderBadge('X-Herald-Category', message.header('x-herald-category'))}</p>
<dl class="facts">
  <dt>Received</dt><dd><time datetime="${new Date(message.receivedAt).toISOString()}">${formatTime(message.receivedAt)}</time></dd>
  <dt>MAIL FROM</dt><dd>${escapeHtml(message.envelope.from || '<>')}</dd>
  <dt>RCPT TO</dt><dd>${escapeHtml(message.envelope.to.join(', '))}</dd>
  ${renderFact('From', message.header('from'))}${renderFact('To', message.header('to'))}${heraldHeaders.map((field) => renderFact(field.name, field.value)).join('')}
</dl>
${renderUnsubscribe(message)}
${parsed ? renderParts(parsed, path) : `<p class="note">Only ${message.raw === undefined && headers.length > 0 ? 'the headers were' : 'the envelope was'} kept for this message (keep mode).</p>`}
${headers.length > 0 ? renderHeaderTable(message) : ''}
${message.raw ? `<p><a href="${path}/raw">Raw message (.eml)</a></p>` : ''}`;
  return renderLayout(message.subject ?? 'Message', body);
}

function renderFact(name: string, value: string | undefined): string {
  return value === undefined
    ? ''
    : `<dt>${escapeHtml(name)}</dt><dd>${escapeHtml(decodeEncodedWords(value))}</dd>`;
}

function renderUnsubscribe(message: CaughtMessage): string {
  const listUnsubscribe = message.header('list-unsubscribe');
  const post = message.header('list-unsubscribe-post');
  if (listUnsubscribe === undefined) {
    return '<h2>Unsubscribe</h2><p>No List-Unsubscribe header (expected only for required transactional mail).</p>';
  }
  const uris = parseListUnsubscribe(listUnsubscribe);
  const https = uris.find((uri) => /^https?:\/\//i.test(uri));
  const oneClick =
    https && post?.replace(/\s+/g, '').toLowerCase() === 'list-unsubscribe=one-click'
      ? `<form method="post" action="${escapeHtml(https)}" target="_blank">
  <input type="hidden" name="List-Unsubscribe" value="One-Click">
  <button type="submit" class="primary">One-click unsubscribe (POST, as a mail client would)</button>
</form>`
      : '';
  return `<h2>Unsubscribe</h2>
<div class="panel">
  <p><strong>List-Unsubscribe</strong></p>
  <ul>${uris.map((uri) => `<li>${renderLink(uri)}</li>`).join('')}</ul>
  <p><strong>List-Unsubscribe-Post:</strong> ${post === undefined ? '<em>absent</em>' : escapeHtml(post)}</p>
  ${oneClick}
</div>`;
}

function renderParts(parsed: ParsedMail, path: string): string {
  const html = typeof parsed.html === 'string' ? parsed.html : null;
  const links = html ? findHtmlLinks(html) : [];
  const attachments = parsed.attachments.map(
    (attachment) =>
      `<li>${escapeHtml(attachment.filename ?? '(unnamed)')} · ${escapeHtml(attachment.contentType)} · ${attachment.size} bytes</li>`,
  );
  return `${
    html
      ? `<h2>HTML part</h2>
<iframe src="${path}/html" title="HTML part of the message" sandbox="allow-popups allow-popups-to-escape-sandbox" referrerpolicy="no-referrer"></iframe>
<p class="meta"><a href="${path}/html" target="_blank" rel="noopener">Open the HTML part in a new tab</a></p>
<h2>Links in the HTML part</h2>
${links.length ? `<ul class="links">${links.map((link) => `<li>${renderLink(link)}</li>`).join('')}</ul>` : '<p>None.</p>'}`
      : '<h2>HTML part</h2><p>None.</p>'
  }
<h2>Text part</h2>
${parsed.text ? `<pre>${escapeHtml(parsed.text)}</pre>` : '<p>None.</p>'}
${attachments.length ? `<h2>Attachments</h2><ul>${attachments.join('')}</ul>` : ''}`;
}

function renderHeaderTable(message: CaughtMessage): string {
  const rows = message.headers().map((field) => {
    const name = field.name.toLowerCase();
    const isKey = name.startsWith('list-') || name.startsWith('x-herald-');
    return `<tr${isKey ? ' class="key"' : ''}><th scope="row">${escapeHtml(field.name)}</th><td>${escapeHtml(field.value)}</td></tr>`;
  });
  return `<h2>Headers</h2>\n<table>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
}

function renderLink(uri: string): string {
  if (!isSafeLink(uri)) return escapeHtml(uri);
  return `<a href="${escapeHtml(uri)}" target="_blank" rel="noopener noreferrer">${escapeHtml(uri)}</a>`;
}
