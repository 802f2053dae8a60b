/** The frame around every page: header, navigation for the user's role, flash message. */
import type { User } from '../../auth/user-store.js';
import { html, type SafeHtml } from '../html.js';

/** What a page hands to the layout. */
export interface PageFrame {
  readonly title: string;
  readonly user?: User | undefined;
  readonly csrfToken?: string;
  readonly flash?: { kind: 'ok' | 'error' | 'info'; text: string } | undefined;
  readonly body: SafeHtml;
}

/** A whole HTML document. */
export function layout(frame: PageFrame): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${frame.title} · California Safe Driver</title>
        <link rel="stylesheet" href="/assets/app.css" />
        <script src="/assets/app.js" defer></script>
      </head>
      <body>
        <header class="top">
          <a class="brand" href="/">California Safe Driver <span>Zoom classes</span></a>
          ${frame.user ? navigation(frame.user, frame.csrfToken ?? '') : ''}
        </header>
        <main>
          ${frame.flash ? html`<p class="flash flash-${frame.flash.kind}" role="status">${frame.flash.text}</p>` : ''}
          ${frame.body}
        </main>
      </body>
    </html>`.value;
}

function navigation(user: User, csrfToken: string): SafeHtml {
  const links =
    user.role === 'instructor'
      ? [['/dashboard/', 'Dashboard']]
      : [
          ['/admin/', 'Sessions'],
          ['/admin/instructors', 'Instructors'],
          ['/admin/audit', 'Audit log'],
          ['/dev/outbox', 'Outbox'],
        ];
  return html`<nav>
    ${links.map(([href, label]) => html`<a href="${href}">${label}</a>`)}
    <span class="who">${user.name} · ${user.role}</span>
    <form method="post" action="/logout" class="inline">
      <input type="hidden" name="_csrf" value="${csrfToken}" />
      <button type="submit" class="link">Sign out</button>
    </form>
  </nav>`;
}
