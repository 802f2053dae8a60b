/**
 * Pages a person clicks through besides the consent screen: Marketplace's "Added Apps" list
 * with its two-step Remove (which ends the grant and sends `app_deauthorized`), and the join and
 * start links of a meeting, which only say what a real Zoom client would do.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { errorPage, escapeHtml, htmlPage } from './html-page.js';
import type { SimContext } from './sim-route.js';
import type { SimUser } from './user-directory.js';

function html(reply: FastifyReply, page: string, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(page);
}

function installedUsers(ctx: SimContext): SimUser[] {
  const ids = new Set(ctx.sim.grants.liveGrants().map((grant) => grant.userId));
  return ctx.sim.users.list().filter((user) => ids.has(user.id));
}

function addedAppsPage(ctx: SimContext, notice: string | undefined): string {
  const action = `${ctx.prefix}/marketplace/manage/added-apps/remove`;
  const rows = installedUsers(ctx).map(
    (user) => `<tr><td>${escapeHtml(ctx.sim.config.appName)}</td>
<td>${escapeHtml(`${user.first_name} ${user.last_name}`)}<br><span class="note">${escapeHtml(user.email)}</span></td>
<td><form method="post" action="${escapeHtml(action)}">
<input type="hidden" name="user_id" value="${escapeHtml(user.id)}">
<button type="submit" class="danger">Remove</button></form></td></tr>`,
  );
  const table = rows.length
    ? `<table><tr><th>App</th><th>Installed by</th><th></th></tr>${rows.join('\n')}</table>`
    : '<p>No Zoom user has this app installed.</p>';
  const banner = notice ? `<p class="note">${escapeHtml(notice)}</p>` : '';
  return htmlPage('Added Apps', `<h1>Manage &gt; Added Apps</h1>${banner}${table}`, true);
}

function confirmPage(ctx: SimContext, user: SimUser): string {
  const action = `${ctx.prefix}/marketplace/manage/added-apps/remove/confirm`;
  const body = `<h1>Remove ${escapeHtml(ctx.sim.config.appName)}?</h1>
<p>${escapeHtml(`${user.first_name} ${user.last_name}`)} will no longer be able to use this app,
and the app is told it was removed.</p>
<form method="post" action="${escapeHtml(action)}">
<input type="hidden" name="user_id" value="${escapeHtml(user.id)}">
<label for="reason">Why are you removing this app? (optional)</label>
<textarea id="reason" name="reason" rows="3"></textarea>
<div class="actions">
<a href="${escapeHtml(`${ctx.prefix}/marketplace/manage/added-apps`)}"><button type="button">Cancel</button></a>
<button type="submit" class="danger">Remove</button>
</div></form>`;
  return htmlPage('Remove app', body);
}

function formUser(ctx: SimContext, request: FastifyRequest): SimUser | undefined {
  const body = (request.body ?? {}) as Record<string, unknown>;
  return typeof body.user_id === 'string' ? ctx.sim.users.get(body.user_id) : undefined;
}

async function confirmRemoval(ctx: SimContext, request: FastifyRequest, reply: FastifyReply) {
  const user = formUser(ctx, request);
  if (!user) return html(reply, errorPage('Unknown Zoom user', 'Nothing was removed.'), 400);

  const delivery = await ctx.sim.deauthorize(user.id);
  const outcome = delivery ? `app_deauthorized: ${delivery.state}` : 'the app was not installed';
  const notice = `Removed for ${user.email} (${outcome}).`;
  return html(reply, addedAppsPage(ctx, notice));
}

function meetingLinkPage(ctx: SimContext, request: FastifyRequest, role: 'join' | 'start'): string {
  const id = (request.params as Record<string, string>).meetingId ?? '';
  const meeting = /^\d+$/.test(id) ? ctx.sim.meetings.get(Number(id)) : undefined;
  if (!meeting)
    return errorPage('Meeting not found', `Meeting ${id} is not found or has expired.`, 3001);

  const who = role === 'join' ? 'join as a participant' : 'start it as the host';
  const body = `<h1>${escapeHtml(meeting.topic)}</h1>
<p>Meeting ID ${meeting.id}, ${escapeHtml(meeting.start_time ?? '')} (${escapeHtml(meeting.timezone)}),
${meeting.duration} minutes.</p>
<p class="note">A real Zoom would open the Zoom client here to ${who}.</p>`;
  return htmlPage(meeting.topic, body);
}

/** Registers the Marketplace pages and the meeting link pages. */
export function registerMarketplaceRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.get('/marketplace/manage/added-apps', (_request, reply) =>
    html(reply, addedAppsPage(ctx, undefined)),
  );
  app.post('/marketplace/manage/added-apps/remove', (request, reply) => {
    const user = formUser(ctx, request);
    if (!user) return html(reply, errorPage('Unknown Zoom user', 'Nothing was removed.'), 400);
    return html(reply, confirmPage(ctx, user));
  });
  app.post('/marketplace/manage/added-apps/remove/confirm', (request, reply) =>
    confirmRemoval(ctx, request, reply),
  );
  app.get('/j/:meetingId', (request, reply) => html(reply, meetingLinkPage(ctx, request, 'join')));
  app.get('/s/:meetingId', (request, reply) => html(reply, meetingLinkPage(ctx, request, 'start')));
}
