import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { isAppError } from '../../src/errors/app-error.js';
import { parseWebhookEvent } from '../../src/zoom/webhook-event.js';

function fixture(name: string): Buffer {
  return readFileSync(new URL(`../fixtures/zoom/webhooks/${name}`, import.meta.url));
}

function codeOf(call: () => unknown): string | undefined {
  try {
    call();
  } catch (error) {
    return isAppError(error) ? error.code : 'not an AppError';
  }
  return undefined;
}

describe('parseWebhookEvent', () => {
  it('reads the published url validation example', () => {
    expect(parseWebhookEvent(fixture('endpoint.url_validation.json'))).toEqual({
      event: 'endpoint.url_validation',
      plainToken: 'qgg8vlvZRS6UYooatFL8Aw',
    });
  });

  it('reads the published app_deauthorized example, with the identity of its redeliveries', () => {
    const event = parseWebhookEvent(fixture('app_deauthorized.json'));

    expect(event).toEqual({
      event: 'app_deauthorized',
      accountId: 'AAAAAABBBB',
      userId: 'abcD3ojfdbjfg',
      deauthorizationTime: '2020-06-17T13:52:28.632Z',
      clientId: 'ABCDEFGHIJKLMNOPQRST!V',
      zoomEventId: '827edc3452044f0bc86bdd5684afb7d1e6becfa1a767f24df1b287853cf73000',
      eventTs: '2024-09-08 15:58:40',
    });
  });

  it('reads event_ts from the top of the body as Zoom documents it elsewhere', () => {
    const body = JSON.parse(fixture('app_deauthorized.json').toString()) as Record<string, unknown>;
    const event = parseWebhookEvent(JSON.stringify({ ...body, event_ts: 1749365726209 }));

    expect(event).toMatchObject({ event: 'app_deauthorized', eventTs: '1749365726209' });
  });

  it('keeps only the name of an event the product does not handle', () => {
    const body = JSON.stringify({ event: 'meeting.started', payload: { object: { id: 1 } } });

    expect(parseWebhookEvent(body)).toEqual({ event: 'meeting.started', kind: 'other' });
  });

  it.each([
    ['not JSON', 'not json at all'],
    ['a JSON array', '[1,2]'],
    ['without an event name', JSON.stringify({ payload: {} })],
    ['with a numeric event name', JSON.stringify({ event: 7, payload: {} })],
    ['without a payload object', JSON.stringify({ event: 'app_deauthorized', payload: 'x' })],
    [
      'a deauthorization without a user id',
      JSON.stringify({
        event: 'app_deauthorized',
        payload: { account_id: 'a', deauthorization_time: 't', client_id: 'c' },
      }),
    ],
    [
      'a url validation without a plain token',
      JSON.stringify({ event: 'endpoint.url_validation', payload: {} }),
    ],
  ])('rejects a body %s as WEBHOOK_BODY_INVALID', (_name, body) => {
    expect(codeOf(() => parseWebhookEvent(body))).toBe('WEBHOOK_BODY_INVALID');
  });

  it('names the missing payload field', () => {
    const body = JSON.stringify({
      event: 'app_deauthorized',
      payload: { account_id: 'a', deauthorization_time: 't', client_id: 'c' },
    });

    try {
      parseWebhookEvent(body);
      expect.unreachable('parsed');
    } catch (error) {
      expect(isAppError(error) && error.fields?.map((field) => field.field)).toEqual([
        'payload.user_id',
      ]);
    }
  });
});
