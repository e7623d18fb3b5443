import { Form } from '@remix-run/react';
import type { NoticeView as Notice } from '@herald/contract';
import { useTranslator } from '~/i18n/i18n-context';

/**
 * Policy changes the signed-in contact has not acknowledged yet, each with a button that says they
 * have read it; shown at the top of the account page until then. Titles are bold text rather than
 * headings because they come before the page's own heading. The date is the contact's day: in
 * their language and time zone (the account page's translator).
 */
export function PendingNotices({ notices, csrfToken }: { notices: Notice[]; csrfToken: string }) {
  const { t, date } = useTranslator();
  if (notices.length === 0) return null;
  return (
    <section aria-label={t('notices.label')} className="notices">
      {notices.map((notice) => (
        <div key={notice.id} className="notice" data-notice-id={notice.id}>
          <p id={`notice-${notice.id}`}>
            <strong>
              {t('notices.changing', {
                title: notice.policy.title,
                date: date(notice.policy.effectiveAt),
                version: notice.policy.version,
              })}
            </strong>
          </p>
          <p>{notice.policy.summary}</p>
          <p>
            <a href={notice.policy.url}>{t('notices.read', { title: notice.policy.title })}</a>
          </p>
          <Form method="post">
            <input type="hidden" name="csrf" value={csrfToken} />
            <input type="hidden" name="intent" value="acknowledge-notice" />
            <input type="hidden" name="noticeId" value={notice.id} />
            <button type="submit" className="secondary" aria-describedby={`notice-${notice.id}`}>
              {t('notices.acknowledge')}
            </button>
          </Form>
        </div>
      ))}
    </section>
  );
}
