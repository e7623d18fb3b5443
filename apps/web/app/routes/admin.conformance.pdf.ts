import type { LoaderFunctionArgs } from '@remix-run/node';
import { readPeriod } from '~/server/admin/conformance/load-conformance-page.server';
import { renderPagePdf } from '~/server/admin/conformance/render-pdf.server';
import { requireAdminWith } from '~/server/admin/require-admin.server';

/** The conformance report as a PDF: the console's page for the same period, printed by Chromium. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdminWith(request, { scope: 'audit', change: false });
  const period = readPeriod(new URL(request.url));
  const page = new URL('/admin/conformance', request.url);
  page.search = new URLSearchParams(period).toString();
  const pdf = await renderPagePdf(page.toString(), request.headers.get('cookie') ?? '');
  return new Response(new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), {
    headers: {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="herald-conformance-${period.from}-${period.to}.pdf"`,
      'Cache-Control': 'no-store',
    },
  });
}
