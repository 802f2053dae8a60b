/**
 * `GET /users/me`: the Zoom profile of the token's owner, cut down to the five fields the product
 * stores (data minimisation); everything else in Zoom's answer is dropped on arrival.
 */
import { Type } from '@sinclair/typebox';

import { readZoomAnswer } from './zoom-answer.js';
import type { ZoomHttp } from './zoom-http.js';

/** The part of a Zoom profile the product keeps. `planType` is Zoom's user `type` (1 = Basic). */
export interface ZoomProfile {
  readonly id: string;
  readonly accountId: string;
  readonly email: string;
  readonly displayName: string;
  readonly planType: number;
}

const ProfileAnswer = Type.Object({
  id: Type.String({ minLength: 1 }),
  account_id: Type.String({ minLength: 1 }),
  email: Type.String({ minLength: 3 }),
  type: Type.Integer(),
  display_name: Type.Optional(Type.String()),
  first_name: Type.Optional(Type.String()),
  last_name: Type.Optional(Type.String()),
});

/** Reads and minimises the profile of the token's owner. */
export async function getMe(http: ZoomHttp): Promise<ZoomProfile> {
  const answer = await http.send({
    method: 'GET',
    path: '/users/me',
    expectStatus: 200,
    resource: 'user',
  });
  const body = readZoomAnswer(answer.text, ProfileAnswer, 'user');

  return {
    id: body.id,
    accountId: body.account_id,
    email: body.email,
    displayName: displayNameOf(body),
    planType: body.type,
  };
}

// `display_name` is newer than `first_name`/`last_name`; older accounts may lack it.
function displayNameOf(body: {
  display_name?: string;
  first_name?: string;
  last_name?: string;
}): string {
  const display = body.display_name?.trim();
  if (display) return display;

  return [body.first_name, body.last_name]
    .map((part) => part?.trim() ?? '')
    .filter((part) => part.length > 0)
    .join(' ');
}
