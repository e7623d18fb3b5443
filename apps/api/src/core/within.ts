/**
 * The promise's outcome, or a rejection after `ms`: what waits on PostgreSQL or Redis on behalf of an
 * HTTP caller is bounded, since a client that gets no answer retries. The promise itself runs on.
 */
export function within<T>(promise: Promise<T>, ms: number, what = 'operation'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
