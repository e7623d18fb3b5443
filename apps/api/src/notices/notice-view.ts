import type { NoticeView } from '@herald/contract';
import type { Message, Notice, PolicyVersion } from '@herald/db';

type NoticeWithPolicy = Notice & {
  policyVersion: PolicyVersion;
  message: Pick<Message, 'id' | 'status' | 'sentAt'> | null;
};

/** An in-app notice as the account page shows it: the policy change, and whether it was acknowledged. */
export function toNoticeView(notice: NoticeWithPolicy): NoticeView {
  const policy = notice.policyVersion;
  return {
    id: notice.id,
    contactId: notice.contactId,
    policy: {
      id: policy.id,
      version: policy.version,
      title: policy.title,
      summary: policy.summary,
      url: policy.url,
      effectiveAt: policy.effectiveAt.toISOString(),
    },
    postedAt: notice.createdAt.toISOString(),
    acknowledged: notice.acknowledgedAt !== null,
    acknowledgedAt: notice.acknowledgedAt?.toISOString() ?? null,
    email: notice.message
      ? {
          messageId: notice.message.id,
          status: notice.message.status,
          sentAt: notice.message.sentAt?.toISOString() ?? null,
        }
      : null,
  };
}

export const NOTICE_INCLUDE = {
  policyVersion: true,
  message: { select: { id: true, status: true, sentAt: true } },
} as const;
