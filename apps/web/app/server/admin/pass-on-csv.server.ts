import { type ConsoleCaller, streamApiAs } from './api-client.server';

/**
 * A CSV the API streams, passed on to the browser as it comes (never held whole). A request the
 * API refuses (a date it cannot read) is a plain 400 answer with the API's words.
 */
export async function passOnCsv(caller: ConsoleCaller, path: string, filename: string): Promise<Response> {
  const result = await streamApiAs(caller, path);
  if (!result.ok) {
    // A resource route: the browser shows this text as the download's page.
    throw new Response(`That download cannot be made: ${result.problem.message} Nothing was changed.\n`, {
      status: 400,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
    });
  }
  return new Response(result.response.body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`,
      'cache-control': 'no-store',
    },
  });
}
