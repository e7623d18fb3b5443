import { crlf, returnedMessagePart } from './returned-message-part.js';

export interface DeliveryStatusRecipient {
  finalRecipient: string;
  action: 'failed' | 'delayed' | 'delivered' | 'relayed' | 'expanded';
  /** RFC 3463 status, "5.1.1"; left out to build a malformed report. */
  status?: string;
  diagnosticCode?: string;
}

/**
 * A delivery status notification as a receiving MTA writes it (RFC 3464, shaped like its appendix
 * examples): `multipart/report; report-type=delivery-status` with a human-readable part, the
 * `message/delivery-status` part (per-message fields, then one group per recipient) and the
 * returned message. `to` is where it is sent: the envelope sender of the failed message.
 */
export function buildDeliveryStatusReport({
  to,
  recipients,
  returned,
  headersOnly = false,
  reportingMta = 'mx.receiver.example',
  boundary = `dsn-${Math.random().toString(36).slice(2)}`,
}: {
  to: string;
  recipients: DeliveryStatusRecipient[];
  /** The returned message (or its headers), as the sender sent it. */
  returned?: string | Buffer;
  headersOnly?: boolean;
  reportingMta?: string;
  boundary?: string;
}): string {
  const groups = recipients.map((recipient) =>
    [
      `Original-Recipient: rfc822;${recipient.finalRecipient}`,
      `Final-Recipient: rfc822;${recipient.finalRecipient}`,
      `Action: ${recipient.action}`,
      recipient.status && `Status: ${recipient.status}`,
      recipient.diagnosticCode && `Diagnostic-Code: ${recipient.diagnosticCode}`,
      'Last-Attempt-Date: Mon, 7 Dec 2026 10:15:49 +0000',
    ]
      .filter(Boolean)
      .join('\r\n'),
  );
  const parts = [
    crlf(`Content-Type: text/plain; charset=us-ascii

This is the mail system at host ${reportingMta}.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.
`),
    `Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; ${reportingMta}\r\nArrival-Date: Mon, 7 Dec 2026 10:00:00 +0000\r\n\r\n${groups.join('\r\n\r\n')}\r\n`,
    ...(returned === undefined ? [] : [returnedMessagePart(returned, { headersOnly })]),
  ];
  return (
    crlf(`From: Mail Delivery System <MAILER-DAEMON@${reportingMta}>
To: ${to}
Subject: Undelivered Mail Returned to Sender
Date: Mon, 7 Dec 2026 10:15:50 +0000
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
  boundary="${boundary}"

`) + `${parts.map((part) => `--${boundary}\r\n${part}`).join('\r\n')}\r\n--${boundary}--\r\n`
  );
}
