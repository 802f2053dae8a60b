import { escapeHtml, htmlPage } from './html-page.js';
import type { SimUser } from './user-directory.js';

/** What each scope lets the app do, in the words the consent page shows. */
export const scopeDescriptions: Readonly<Record<string, string>> = {
  'user:read:user': 'read your Zoom profile (name, email, account type)',
  'meeting:write:meeting': 'create new meetings on your account',
  'meeting:read:meeting': "read back a meeting's details",
  'meeting:update:meeting': "update a meeting's time or title",
  'meeting:delete:meeting': 'delete a meeting',
};

/** The authorize request's parameters, carried through the consent form in hidden fields. */
export interface AuthorizeParams {
  readonly response_type: string;
  readonly client_id: string;
  readonly redirect_uri: string;
  readonly state?: string;
  readonly code_challenge?: string;
  readonly code_challenge_method?: string;
}

/** Everything the consent page shows. */
export interface ConsentView {
  readonly appName: string;
  readonly scopes: readonly string[];
  readonly users: readonly SimUser[];
  readonly params: AuthorizeParams;
  /** Where the form posts: the decision route below the mount prefix. */
  readonly action: string;
}

function hiddenFields(params: AuthorizeParams): string {
  return Object.entries(params)
    .filter(([, value]) => value !== undefined)
    .map(
      ([name, value]) =>
        `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(String(value))}">`,
    )
    .join('\n');
}

function permissionList(scopes: readonly string[]): string {
  const items = scopes.map((scope) => {
    const text = scopeDescriptions[scope] ?? scope;
    return `<li>${escapeHtml(text)}<code>${escapeHtml(scope)}</code></li>`;
  });
  return `<ul class="permissions">\n${items.join('\n')}\n</ul>`;
}

function userOptions(users: readonly SimUser[]): string {
  return users
    .map((user) => {
      const plan = user.type === 1 ? 'Basic' : 'Licensed';
      const label = `${user.first_name} ${user.last_name} <${user.email}> (${plan})`;
      return `<option value="${escapeHtml(user.id)}">${escapeHtml(label)}</option>`;
    })
    .join('\n');
}

/** Zoom's consent screen: the app, its permissions, who signs in, Allow and Deny. */
export function consentPage(view: ConsentView): string {
  const body = `<h1>${escapeHtml(view.appName)} would like to access your Zoom account</h1>
<p>Allowing this app lets it:</p>
${permissionList(view.scopes)}
<form method="post" action="${escapeHtml(view.action)}">
${hiddenFields(view.params)}
<label for="user_id">Sign in as</label>
<select id="user_id" name="user_id">
${userOptions(view.users)}
</select>
<p class="note">You can remove this app at any time from Manage &gt; Added Apps.</p>
<div class="actions">
<button type="submit" name="decision" value="deny">Deny</button>
<button type="submit" name="decision" value="allow" class="primary">Allow</button>
</div>
</form>`;
  return htmlPage(`Authorize ${view.appName}`, body);
}
