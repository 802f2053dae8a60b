import { escapeHtml, htmlPage } from './html-page.js';
import type { SimContext } from './sim-route.js';

const inspectionLinks: readonly [string, string][] = [
  ['/_sim/meetings', 'Meetings per user (JSON)'],
  ['/_sim/grants', 'Grants, live and ended, without tokens (JSON)'],
  ['/_sim/requests', 'Request log (JSON)'],
  ['/_sim/counters', 'Counters: refreshes, invalid_grant answers, code exchanges, writes (JSON)'],
  ['/_sim/webhooks/deliveries', 'Webhook deliveries and attempts (JSON)'],
  ['/_sim/faults', 'Injected faults (JSON)'],
  ['/_sim/users', 'Simulated Zoom users (JSON)'],
  ['/_sim/config', 'Settings in force, without secrets (JSON)'],
  ['/marketplace/manage/added-apps', 'Marketplace: Added Apps (remove the app for a user)'],
];

function link(ctx: SimContext, path: string, label: string): string {
  return `<li><a href="${escapeHtml(ctx.prefix + path)}">${escapeHtml(label)}</a></li>`;
}

function userRows(ctx: SimContext): string {
  const live = new Set(ctx.sim.grants.liveGrants().map((grant) => grant.userId));
  return ctx.sim.users
    .list()
    .map((user) => {
      const meetings = ctx.sim.meetingsOf(user.id).length;
      const state = live.has(user.id) ? 'app installed' : 'not installed';
      return `<tr><td>${escapeHtml(`${user.first_name} ${user.last_name}`)}</td><td>${escapeHtml(user.email)}</td>
<td>${user.type === 1 ? 'Basic' : 'Licensed'}</td><td>${state}</td><td>${meetings}</td></tr>`;
    })
    .join('\n');
}

/** The page a person opens at `/_sim/`: the users at a glance and links to everything. */
export function adminIndexPage(ctx: SimContext): string {
  const links = inspectionLinks.map(([path, label]) => link(ctx, path, label)).join('\n');
  const body = `<h1>Zoom simulator</h1>
<p class="note">App: ${escapeHtml(ctx.sim.config.appName)}. OAuth base: <code>${escapeHtml(ctx.prefix || '/')}</code>,
REST base: <code>${escapeHtml(`${ctx.prefix}/v2`)}</code>.</p>
<table><tr><th>Zoom user</th><th>Email</th><th>Plan</th><th>App</th><th>Meetings</th></tr>
${userRows(ctx)}</table>
<h2>Inspect</h2><ul>${links}</ul>
<p class="note">Faults, settings and triggers are JSON calls under <code>/_sim/</code>; see the simulator's README.</p>`;
  return htmlPage('Zoom simulator', body, true);
}
