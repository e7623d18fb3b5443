import type { JsonBody } from './json-body.js';

export interface ApiResponse {
  status: number;
  /** Parsed JSON, or the text when the answer is not JSON. */
  body: JsonBody;
}

export interface ApiClient {
  url: string;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
  /** Polls a message until the worker has decided it: no longer queued or sending. */
  settled(messageId: string, timeoutMs?: number): Promise<JsonBody>;
}

/** Calls the Herald API with its key, as a customer's application does. */
export function createApiClient(url: string, apiKey: string): ApiClient {
  const call: ApiClient['call'] = async (method, path, body, headers = {}) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${apiKey}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: JsonBody = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed };
  };
  return {
    url,
    call,
    async settled(messageId, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { body } = await call('GET', `/v1/messages/${messageId}`);
        if (body.status !== 'queued' && body.status !== 'sending') return body;
        if (Date.now() > deadline)
          throw new Error(`message ${messageId} still ${body.status} after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}
