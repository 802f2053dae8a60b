/**
 * The Zoom Integration card of the instructor dashboard, in the words of the public
 * integration page: "Connect Zoom", a green "Zoom connected", the linked account, and
 * "Reconnect Zoom" with what happened when the link broke.
 */
import { html, type SafeHtml } from '../web/html.js';
import { describeScope, REQUIRED_ZOOM_SCOPES } from '../zoom/scopes.js';
import { planName, type ZoomConnection } from './connection-store.js';
import { formatShortTime as pacificTime } from '../support/school-time.js';

/** Renders the card for a connection (undefined: never connected). */
export function zoomCard(connection: ZoomConnection | undefined, csrfToken: string): SafeHtml {
  if (connection?.status === 'connected' && connection.hasTokens) {
    return connectedCard(connection, csrfToken);
  }
  if (connection?.status === 'broken') return brokenCard(connection);

  return notConnectedCard(connection);
}

function notConnectedCard(connection: ZoomConnection | undefined): SafeHtml {
  const removed = connection?.status === 'deauthorized';

  return html`<section class="card" id="zoom-card" data-zoom-state="not_connected">
    <h2 style="margin-top:0">Zoom Integration <span class="badge muted">Not connected</span></h2>
    ${
      removed
        ? html`<p class="warning">
            ${connection?.statusReason ?? 'The app was removed from your Zoom account.'} Your
            classes and students stay here; connect again to let staff manage meetings.
          </p>`
        : ''
    }
    <p>
      Connect your Zoom account once so our scheduling staff can create, update and delete the Zoom
      meetings of your classes. You remain the host of every meeting.
    </p>
    <p class="muted">Zoom will ask you to allow these permissions:</p>
    <ul>
      ${REQUIRED_ZOOM_SCOPES.map((entry) => html`<li><code>${entry.scope}</code> - ${entry.description}</li>`)}
    </ul>
    <p><a class="button" href="/zoom/connect">Connect Zoom</a></p>
  </section>`;
}

function connectedCard(connection: ZoomConnection, csrfToken: string): SafeHtml {
  return html`<section class="card connected" id="zoom-card" data-zoom-state="connected">
    <h2 style="margin-top:0">Zoom Integration <span class="badge ok">Zoom connected</span></h2>
    <dl class="facts">
      <dt>Zoom account</dt>
      <dd>${connection.zoomDisplayName ?? ''}</dd>
      <dt>Login email</dt>
      <dd>${connection.zoomEmail ?? ''}</dd>
      <dt>Plan</dt>
      <dd>${planName(connection.zoomPlanType)}</dd>
      <dt>Connected since</dt>
      <dd>${connection.connectedAt ? pacificTime(connection.connectedAt) : ''}</dd>
    </dl>
    ${connection.zoomPlanType === 1 ? basicPlanWarning() : ''}
    ${connection.missingScopes.length > 0 ? missingScopesWarning(connection.missingScopes) : ''}
    <form method="post" action="/zoom/disconnect" style="margin-top:1rem">
      <input type="hidden" name="_csrf" value="${csrfToken}" />
      <button type="submit" class="danger">Disconnect</button>
    </form>
  </section>`;
}

function brokenCard(connection: ZoomConnection): SafeHtml {
  const when = connection.brokenAt ? ` (${pacificTime(connection.brokenAt)})` : '';

  return html`<section class="card broken" id="zoom-card" data-zoom-state="broken">
    <h2 style="margin-top:0">Zoom Integration <span class="badge err">Connection lost</span></h2>
    <p>
      <strong>What happened${when}:</strong>
      ${connection.statusReason ?? 'Zoom no longer accepts our access to your account.'}
    </p>
    <p>
      Until you reconnect, staff cannot create, update or delete the Zoom meetings of your classes.
      Meetings already made stay on your Zoom account.
    </p>
    ${connection.zoomEmail ? html`<p class="muted">Last linked Zoom account: ${connection.zoomEmail}</p>` : ''}
    <p><a class="button" href="/zoom/connect">Reconnect Zoom</a></p>
  </section>`;
}

function basicPlanWarning(): SafeHtml {
  return html`<p class="warning">
    Your Zoom account is on the Basic (free) plan: Zoom ends every meeting you host after 40
    minutes. Classes longer than 40 minutes need a Licensed Zoom account.
  </p>`;
}

function missingScopesWarning(missing: readonly string[]): SafeHtml {
  return html`<div class="warning" id="missing-scopes">
    <p><strong>Zoom did not grant every permission we need.</strong> Missing:</p>
    <ul>
      ${missing.map((scope) => html`<li>${describeScope(scope) ?? scope} (<code>${scope}</code>)</li>`)}
    </ul>
    <p>Ask your Zoom admin to allow them, then <a href="/zoom/connect">Reconnect Zoom</a>.</p>
  </div>`;
}
