/**
 * The frame of the simulator's HTML pages. Pages are written as template strings with every
 * value escaped: a few small pages do not justify a template engine.
 */

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const styles = `
body { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; background: #f4f6fb;
  color: #1f2933; margin: 0; }
header { background: #0b5cff; color: #fff; padding: 14px 24px; font-weight: 600; }
header small { font-weight: 400; opacity: 0.85; margin-left: 8px; }
main { max-width: 560px; margin: 32px auto; background: #fff; border-radius: 12px;
  box-shadow: 0 2px 12px rgba(15, 35, 95, 0.12); padding: 28px 32px; }
main.wide { max-width: 860px; }
h1 { font-size: 1.35rem; margin-top: 0; }
ul.permissions { padding-left: 0; list-style: none; }
ul.permissions li { padding: 10px 0; border-bottom: 1px solid #e4e7eb; }
ul.permissions code { display: block; color: #52606d; font-size: 0.85rem; }
label { display: block; margin: 18px 0 6px; font-weight: 600; }
select, textarea { width: 100%; padding: 8px; font-size: 1rem; box-sizing: border-box; }
.actions { display: flex; gap: 12px; justify-content: flex-end; margin-top: 24px; }
button { font-size: 1rem; padding: 9px 22px; border-radius: 8px; border: 1px solid #0b5cff;
  cursor: pointer; background: #fff; color: #0b5cff; }
button.primary { background: #0b5cff; color: #fff; }
button.danger { border-color: #c92a2a; color: #c92a2a; }
table { width: 100%; border-collapse: collapse; }
td, th { text-align: left; padding: 8px; border-bottom: 1px solid #e4e7eb; }
.error { color: #c92a2a; }
.note { color: #52606d; font-size: 0.9rem; }
`;

/** A whole page: the simulator's header bar, then `body` inside a card. */
export function htmlPage(title: string, body: string, wide = false): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${styles}</style>
</head>
<body>
<header>zoom <small>Simulated Zoom for development</small></header>
<main${wide ? ' class="wide"' : ''}>
${body}
</main>
</body>
</html>`;
}

/** A page telling a person what went wrong, with Zoom's error code when there is one. */
export function errorPage(title: string, detail: string, zoomCode?: number): string {
  const code = zoomCode === undefined ? '' : ` <span class="note">(error ${zoomCode})</span>`;
  return htmlPage(
    title,
    `<h1 class="error">${escapeHtml(title)}${code}</h1><p>${escapeHtml(detail)}</p>`,
  );
}
