import { Form } from '@remix-run/react';
import type { NoticeView as Notice } from '@herald/contract';

const effectiveDate = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' });

/**
 * Policy changes the signed-in contact has not acknowledged yet, each with a button that says they
 * have read it; shown at the top of the account page until then. Titles are bold text rather than
 * headings because they come before the page's own heading.
 */
export function PendingNotices({ notices, csrfToken }: { notices: Notice[]; csrfToken: string }) {
  if (notices.length === 0) return null;
  return (
    <section aria-label="Changes to our privacy policy" className="notices">
      {notices.map((notice) => (
        <div key={notice.id} className="notice" data-notice-id={notice.id}>
          <p id={`notice-${notice.id}`}>
            <strong>
              {notice.policy.title} is changing on {effectiveDate.format(new Date(notice.policy.effectiveAt))}{' '}
              (version {notice.policy.version})
            </strong>
          </p>
          <p>{notice.policy.summary}</p>
          <p>
            <a href={notice.policy.url}>Read the new {notice.policy.title}</a>
          </p>
          <Form method="post">
            <input type="hidden" name="csrf" value={csrfToken} />
            <input type="hidden" name="intent" value="acknowledge-notice" />
            <input type="hidden" name="noticeId" value={notice.id} />
            <button type="submit" className="secondary" aria-describedby={`notice-${notice.id}`}>
              I have read this
            </button>
          </Form>
        </div>
      ))}
    </section>
  );
}
