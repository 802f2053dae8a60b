import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { seedUser, signedIn } from '../support/http.js';
import { createApiToken } from '../../src/auth/api-token-store.js';
import { seedSession, waitFor } from './notify-fixtures.js';

let app: TestApp;
let token: string;

beforeAll(async () => {
  app = await startTestApp();
  const staff = await seedUser(app, { role: 'staff' });
  token = await createApiToken(app.ctx.db, staff);
});

afterAll(async () => {
  await app?.close();
});

// Answers are read loosely: the assertions below check their shape.

type JsonResponse = Omit<Response, 'json'> & { json(): Promise<any> };

function get(url: string): Promise<JsonResponse> {
  return fetch(url);
}

function api(path: string, init: RequestInit = {}, bearer = token): Promise<JsonResponse> {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${bearer}`);
  if (init.body) headers.set('content-type', 'application/json');
  return fetch(`${app.url}${path}`, { ...init, headers });
}

describe('enrolment API', () => {
  it('enrols a student with SMS consent and answers 201 with the student', async () => {
    const session = await seedSession(app, { ready: false });
    const before = app.clock.now().toISOString();
    const answer = await api(`/api/v1/class-sessions/${session.id}/enrollments`, {
      method: 'POST',
      body: JSON.stringify({
        name: 'Lia Chen',
        email: 'lia@example.test',
        phone: '+1 (415) 555-0111',
        smsOptIn: true,
      }),
    });
    expect(answer.status).toBe(201);
    const body = await answer.json();
    expect(body).toMatchObject({
      sessionId: session.id,
      student: {
        name: 'Lia Chen',
        email: 'lia@example.test',
        phone: '+14155550111',
        smsOptIn: true,
      },
    });
    expect(body.student.smsOptInAt).toBe(before);
  });

  it('names every bad field with VALIDATION_FAILED and stores nothing', async () => {
    const session = await seedSession(app);
    const answer = await api(`/api/v1/class-sessions/${session.id}/enrollments`, {
      method: 'POST',
      body: JSON.stringify({
        name: 'Max',
        email: 'not-an-email',
        phone: '4155550112',
        smsOptIn: true,
      }),
    });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = await answer.json();
    expect(problem.code).toBe('VALIDATION_FAILED');
    expect(problem.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'email',
      'phone',
    ]);

    const consentWithoutPhone = await api(`/api/v1/class-sessions/${session.id}/enrollments`, {
      method: 'POST',
      body: JSON.stringify({ name: 'Max', email: 'max@example.test', smsOptIn: true }),
    });
    expect((await consentWithoutPhone.json()).errors).toEqual([
      { field: 'smsOptIn', message: expect.any(String) },
    ]);

    const missing = await api(`/api/v1/class-sessions/${session.id}/enrollments`, {
      method: 'POST',
      body: JSON.stringify({ email: 'x@example.test' }),
    });
    expect((await missing.json()).errors.map((e: { field: string }) => e.field)).toContain('name');
    const { rows } = await app.ctx.db.query('SELECT 1 FROM enrollments WHERE session_id = $1', [
      session.id,
    ]);
    expect(rows).toHaveLength(0);
  });

  it('answers 404 for an unknown session, 409 for a second enrolment and 401 without a token', async () => {
    const body = JSON.stringify({ name: 'Ned', email: 'ned@example.test' });
    expect(
      (
        await (
          await api('/api/v1/class-sessions/999999/enrollments', { method: 'POST', body })
        ).json()
      ).code,
    ).toBe('NOT_FOUND');

    const session = await seedSession(app, { ready: false });
    expect(
      (await api(`/api/v1/class-sessions/${session.id}/enrollments`, { method: 'POST', body }))
        .status,
    ).toBe(201);
    const again = await api(`/api/v1/class-sessions/${session.id}/enrollments`, {
      method: 'POST',
      body,
    });
    expect(again.status).toBe(409);
    expect((await again.json()).code).toBe('CONFLICT');

    const anonymous = await fetch(`${app.url}/api/v1/class-sessions/${session.id}/notifications`);
    expect(anonymous.status).toBe(401);
    expect(
      (await api(`/api/v1/class-sessions/${session.id}/notifications`, {}, 'wrong-token')).status,
    ).toBe(401);
  });

  it('refuses instructors', async () => {
    const session = await seedSession(app);
    const { browser } = await signedIn(app, 'instructor');
    const answer = await browser.request(`/api/v1/class-sessions/${session.id}/notifications`);
    expect(answer.status).toBe(403);
  });

  it('sends the current join message at once to a student enrolled after the meeting is ready', async () => {
    const session = await seedSession(app);
    const answer = await api(`/api/v1/class-sessions/${session.id}/enrollments`, {
      method: 'POST',
      body: JSON.stringify({
        name: 'Ola',
        email: 'ola@example.test',
        phone: '+14155550113',
        smsOptIn: true,
      }),
    });
    expect(answer.status).toBe(201);

    const messages = await waitFor(async () => {
      const list = await (await api(`/api/v1/class-sessions/${session.id}/notifications`)).json();
      return list.length === 2 && list.every((m: { status: string }) => m.status === 'sent')
        ? list
        : undefined;
    });
    expect(messages.map((m: { channel: string }) => m.channel).sort()).toEqual(['email', 'sms']);
    for (const message of messages) {
      expect(message).toMatchObject({
        kind: 'meeting_ready',
        status: 'sent',
        attempts: 1,
        version: 1,
      });
      expect(['ola@example.test', '+14155550113']).toContain(message.recipient);
    }

    const { rows } = await app.ctx.db.query<{ channel: string; text_body: string }>(
      `SELECT channel, text_body FROM notify_dev_outbox WHERE recipient IN ('ola@example.test', '+14155550113')`,
    );
    expect(rows).toHaveLength(2);
    expect(rows.every((row) => row.text_body.includes(session.joinUrl))).toBe(true);
  });

  it('documents the routes in the OpenAPI document', async () => {
    const document = await (await get(`${app.url}/api/openapi.json`)).json();
    const enrol = document.paths['/api/v1/class-sessions/{id}/enrollments'].post;
    expect(enrol.requestBody.content['application/json'].schema.required).toEqual([
      'name',
      'email',
    ]);
    expect(enrol.responses['201']).toBeDefined();
    const list = document.paths['/api/v1/class-sessions/{id}/notifications'].get;
    const item = list.responses['200'].content['application/json'].schema.items;
    expect(Object.keys(item.properties)).toEqual(
      expect.arrayContaining(['channel', 'recipient', 'kind', 'status', 'attempts']),
    );
  });
});
