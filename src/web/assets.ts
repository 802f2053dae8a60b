/** The stylesheet and the one small script of the pages, served from memory. */

/** Styles for every page. */
export const appCss = `
:root { --ink:#1d2733; --muted:#5b6b7c; --line:#d9e1ea; --bg:#f5f7fa; --brand:#0b5cad;
  --ok:#1e7a3c; --ok-bg:#e6f4ea; --warn:#8a5a00; --warn-bg:#fff4d6; --err:#a4262c; --err-bg:#fde7e9; }
* { box-sizing: border-box; }
body { margin:0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color:var(--ink); background:var(--bg); }
header.top { display:flex; align-items:center; justify-content:space-between; gap:1rem; padding:.75rem 1.5rem;
  background:#fff; border-bottom:1px solid var(--line); flex-wrap:wrap; }
.brand { font-weight:700; color:var(--ink); text-decoration:none; }
.brand span { color:var(--muted); font-weight:400; margin-left:.4rem; }
nav { display:flex; align-items:center; gap:1rem; flex-wrap:wrap; }
nav a { color:var(--brand); text-decoration:none; }
nav .who { color:var(--muted); }
main { max-width:1100px; margin:1.5rem auto; padding:0 1.5rem; }
h1 { font-size:1.5rem; margin:.2rem 0 1rem; }
h2 { font-size:1.15rem; margin:1.5rem 0 .6rem; }
.card { background:#fff; border:1px solid var(--line); border-radius:10px; padding:1.25rem 1.5rem; margin-bottom:1.25rem; }
.card.connected { border-left:6px solid var(--ok); }
.card.broken { border-left:6px solid var(--err); }
.badge { display:inline-block; padding:.1rem .55rem; border-radius:999px; font-size:.85rem; font-weight:600; }
.badge.ok { background:var(--ok-bg); color:var(--ok); }
.badge.warn { background:var(--warn-bg); color:var(--warn); }
.badge.err { background:var(--err-bg); color:var(--err); }
.badge.muted { background:#eef1f5; color:var(--muted); }
.flash { padding:.7rem 1rem; border-radius:8px; }
.flash-ok { background:var(--ok-bg); color:var(--ok); }
.flash-error { background:var(--err-bg); color:var(--err); }
.flash-info { background:#e8f1fb; color:var(--brand); }
.warning { background:var(--warn-bg); color:var(--warn); padding:.6rem .9rem; border-radius:8px; }
table { width:100%; border-collapse:collapse; background:#fff; border:1px solid var(--line); border-radius:10px; overflow:hidden; }
th, td { text-align:left; padding:.55rem .75rem; border-bottom:1px solid var(--line); vertical-align:top; }
th { background:#f0f3f7; font-weight:600; font-size:.9rem; }
form.stack { display:grid; gap:.8rem; max-width:420px; }
form.inline { display:inline; margin:0; }
label { display:grid; gap:.25rem; font-weight:600; font-size:.92rem; }
input, select, textarea { font:inherit; padding:.5rem .6rem; border:1px solid #b8c4d1; border-radius:6px; background:#fff; }
button, .button { font:inherit; display:inline-block; padding:.5rem 1rem; border-radius:6px; border:1px solid var(--brand);
  background:var(--brand); color:#fff; cursor:pointer; text-decoration:none; }
button.secondary, .button.secondary { background:#fff; color:var(--brand); }
button.danger { background:#fff; color:var(--err); border-color:var(--err); }
button.link { background:none; border:none; color:var(--brand); padding:0; }
dl.facts { display:grid; grid-template-columns:max-content 1fr; gap:.3rem 1rem; margin:.8rem 0; }
dl.facts dt { color:var(--muted); }
dl.facts dd { margin:0; }
.muted { color:var(--muted); }
.row { display:flex; gap:.75rem; flex-wrap:wrap; align-items:end; }
`;

/**
 * Pages marked `data-refresh-until-settled` reload themselves every two seconds while any
 * element on them is still marked as syncing, so a 202 answer turns into the result by itself.
 */
export const appJs = `
(function () {
  if (!document.querySelector('[data-syncing]')) return;
  setTimeout(function () { window.location.reload(); }, 2000);
})();
`;
