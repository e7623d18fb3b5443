import { callApi } from '../admin/api-client.server';
import type { NoticeView as Notice } from '@herald/contract';

/**
 * The contact's in-app policy notices not yet acknowledged (the policy's "post a notice"), read
 * and acknowledged through the API like every other notice operation. If the API cannot answer,
 * the account page still shows the preferences, without notices, rather than an error.
 */
export async function listPendingNotices(contactId: string): Promise<Notice[]> {
  try {
    const result = await callApi<{ notices: Notice[] }>(
      'GET',
      `/v1/contacts/${encodeURIComponent(contactId)}/notices?pending=true`,
    );
    if (result.ok) return result.body.notices;
    console.warn(`notices not loaded: ${result.problem.code} ${result.problem.message}`);
  } catch (error) {
    console.warn(`notices not loaded: ${(error as Error).message}`);
  }
  return [];
}

/** Idempotent in the API; a notice of another contact is answered 404 there and changes nothing. */
export async function acknowledgeNotice(contactId: string, noticeId: unknown): Promise<void> {
  if (typeof noticeId !== 'string' || !noticeId) return;
  await callApi(
    'POST',
    `/v1/contacts/${encodeURIComponent(contactId)}/notices/${encodeURIComponent(noticeId)}/ack`,
    {},
  );
}
