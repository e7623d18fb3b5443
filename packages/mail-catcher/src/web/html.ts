const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/** `YYYY-MM-DD HH:MM:SS` in the server's local time, the same on every browser. */
export function formatTime(epochMs: number): string {
  const date = new Date(epochMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** A coloured label for X-Herald-Class and X-Herald-Category values. */
export function renderBadge(label: string, value: string | undefined): string {
  if (!value) return '';
  const tone = value === 'transactional' ? ' badge-tx' : value === 'promotional' ? ' badge-promo' : '';
  return `<span class="badge${tone}" title="${escapeHtml(label)}">${escapeHtml(value)}</span>`;
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#f6f7f9}
main{max-width:60rem;margin:0 auto;padding:1rem}
a{color:#0b57d0}
a:focus,button:focus{outline:3px solid #f9ab00;outline-offset:2px}
h1{font-size:1.4rem;margin:.5rem 0 1rem;overflow-wrap:anywhere}
h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
.note{background:#fff4ce;border:1px solid #e0c36a;border-radius:6px;padding:.5rem .75rem;font-size:.9rem}
.bar{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;justify-content:space-between}
button{font:inherit;padding:.4rem .9rem;border:1px solid #5f6368;border-radius:6px;background:#fff;cursor:pointer}
.danger{border-color:#b3261e;color:#b3261e}
.primary{background:#0b57d0;border-color:#0b57d0;color:#fff}
ol.inbox{list-style:none;margin:1rem 0;padding:0}
ol.inbox li{background:#fff;border:1px solid #dadce0;border-radius:6px;margin:.5rem 0}
ol.inbox a{display:block;padding:.6rem .8rem;color:inherit;text-decoration:none}
ol.inbox a:hover .subject{text-decoration:underline}
.subject{font-weight:600;color:#0b57d0;overflow-wrap:anywhere}
.meta{font-size:.85rem;color:#444;overflow-wrap:anywhere}
.badge{display:inline-block;font-size:.75rem;padding:0 .45rem;border-radius:1rem;background:#e8eaed;color:#202124;margin-right:.25rem;white-space:nowrap}
.badge-tx{background:#d3e3fd;color:#041e49}
.badge-promo{background:#fde3cf;color:#4a1d00}
dl.facts{display:grid;grid-template-columns:minmax(7rem,max-content) 1fr;gap:.25rem .75rem;margin:0;background:#fff;border:1px solid #dadce0;border-radius:6px;padding:.75rem}
dl.facts dt{font-weight:600}
dl.facts dd{margin:0;overflow-wrap:anywhere;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9rem}
.panel{background:#fff;border:2px solid #0b57d0;border-radius:6px;padding:.75rem}
.panel ul{margin:.25rem 0;padding-left:1.25rem}
.panel li,.links li{overflow-wrap:anywhere}
iframe{width:100%;height:70vh;border:1px solid #dadce0;border-radius:6px;background:#fff}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#fff;border:1px solid #dadce0;border-radius:6px;padding:.75rem;font-size:.9rem}
table{width:100%;border-collapse:collapse;background:#fff;font-size:.85rem}
th,td{text-align:left;vertical-align:top;border-bottom:1px solid #e8eaed;padding:.35rem .5rem;overflow-wrap:anywhere}
td{font-family:ui-monospace,Menlo,Consolas,monospace;word-break:break-word}
tr.key{background:#e8f0fe}
tr.key th{color:#041e49}
@media (max-width:40rem){
  main{padding:.5rem}
  dl.facts{grid-template-columns:1fr}
  dl.facts dd{margin-bottom:.4rem}
  table,tbody,tr,th,td{display:block}
  th{border-bottom:0;padding-bottom:0}
}
`;

/** The page shell shared by every inbox page. */
export function renderLayout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · Herald mail catcher</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<p class="note" role="note"><strong>Local test inbox.</strong> Mail sent to this catcher is kept in memory only and is never delivered to anyone.</p>
${body}
</main>
</body>
</html>
`;
}
