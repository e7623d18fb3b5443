import type { WorkerEnv } from '@herald/config';

/** A DKIM key as nodemailer takes it with each message. */
export interface DkimKey {
  domainName: string;
  keySelector: string;
  privateKey: string;
}

/** Who a message is from, and what its links and headers name: one per message class. */
export interface MailSender {
  publicWebUrl: string;
  mailDomain: string;
  mailFrom: string;
  postalAddress: string;
  /** Signs the message; none when no key is configured. */
  dkim?: DkimKey;
}

/**
 * The two senders: transactional mail from MAIL_FROM signed with DKIM_*, promotional mail from
 * PROMOTIONAL_MAIL_FROM signed with PROMOTIONAL_DKIM_*, each unset one of which falls back to its
 * transactional value (so a promotional selector alone signs with the same key under another
 * selector). A key is used only when its domain, selector and private key are all known.
 */
export function mailSenders(env: WorkerEnv): Record<'transactional' | 'promotional', MailSender> {
  const common = {
    publicWebUrl: env.PUBLIC_WEB_URL,
    mailDomain: env.MAIL_DOMAIN,
    postalAddress: env.HERALD_POSTAL_ADDRESS,
  };
  return {
    transactional: {
      ...common,
      mailFrom: env.MAIL_FROM,
      ...dkimKey(env.DKIM_DOMAIN, env.DKIM_SELECTOR, env.DKIM_PRIVATE_KEY),
    },
    promotional: {
      ...common,
      mailFrom: env.PROMOTIONAL_MAIL_FROM ?? env.MAIL_FROM,
      ...dkimKey(
        env.PROMOTIONAL_DKIM_DOMAIN ?? env.DKIM_DOMAIN,
        env.PROMOTIONAL_DKIM_SELECTOR ?? env.DKIM_SELECTOR,
        env.PROMOTIONAL_DKIM_PRIVATE_KEY ?? env.DKIM_PRIVATE_KEY,
      ),
    },
  };
}

function dkimKey(domainName?: string, keySelector?: string, privateKey?: string): { dkim?: DkimKey } {
  return domainName && keySelector && privateKey ? { dkim: { domainName, keySelector, privateKey } } : {};
}
