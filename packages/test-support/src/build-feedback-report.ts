import { crlf, returnedMessagePart } from './returned-message-part.js';

/**
 * A feedback-loop complaint as a mailbox provider sends it (RFC 5965, shaped like its appendix B
 * example): `multipart/report; report-type=feedback-report` with a human-readable part, the
 * `message/feedback-report` part and the returned message (as delivered, so with the
 * `Return-Path` the receiving server recorded) or its headers. `to` is the feedback-loop address.
 */
export function buildFeedbackReport({
  to,
  feedbackType = 'abuse',
  originalMailFrom,
  originalRcptTo,
  returned,
  headersOnly = false,
  boundary = `arf-${Math.random().toString(36).slice(2)}`,
}: {
  to: string;
  /** Left out (null) to build a malformed report. */
  feedbackType?: string | null;
  originalMailFrom?: string;
  originalRcptTo?: string;
  returned?: string | Buffer;
  headersOnly?: boolean;
  boundary?: string;
}): string {
  const fields = [
    feedbackType !== null && `Feedback-Type: ${feedbackType}`,
    'User-Agent: SomeGenerator/1.0',
    'Version: 1',
    originalMailFrom && `Original-Mail-From: <${originalMailFrom}>`,
    originalRcptTo && `Original-Rcpt-To: <${originalRcptTo}>`,
    'Arrival-Date: Mon, 7 Dec 2026 10:00:00 +0000',
    'Reporting-MTA: dns; mail.receiver.example',
    'Source-IP: 192.0.2.1',
  ].filter(Boolean);
  const parts = [
    crlf(`Content-Type: text/plain; charset="US-ASCII"
Content-Transfer-Encoding: 7bit

This is an email abuse report for an email message received from IP
192.0.2.1 on Mon, 7 Dec 2026 10:00:00 +0000.
`),
    `Content-Type: message/feedback-report\r\n\r\n${fields.join('\r\n')}\r\n`,
    ...(returned === undefined ? [] : [returnedMessagePart(returned, { headersOnly })]),
  ];
  return (
    crlf(`From: <abusedesk@receiver.example>
Date: Mon, 7 Dec 2026 10:40:36 +0000
Subject: FW: complaint
To: <${to}>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report;
     boundary="${boundary}"

`) + `${parts.map((part) => `--${boundary}\r\n${part}`).join('\r\n')}\r\n--${boundary}--\r\n`
  );
}
