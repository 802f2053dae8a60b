import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { systemClock } from '../../src/support/clock.js';
import { connectInstructor } from '../support/connect-instructor.js';
import { waitFor } from '../support/processes.js';
import { startZoomStack, type ZoomStack } from '../support/zoom-fixture.js';
import { staffApi, type StaffApi } from './scheduling-harness.js';

const maria = 'KDcuGIm1QgePTO8WbOqwIQ';
const priya = 'pS1nLd0eT3yq9C6mKQwE4A';

describe('the sync engine under Zoom faults', () => {
  let stack: ZoomStack;
  let api: StaffApi;
  let mariaId: number;
  let priyaId: number;

  beforeAll(async () => {
    stack = await startZoomStack({ clock: systemClock });
    api = await staffApi(stack.app);
    mariaId = (await connectInstructor(stack, { zoomUserId: maria })).user.id;
    priyaId = (await connectInstructor(stack, { zoomUserId: priya })).user.id;
  });
  afterAll(async () => stack?.close());

  it('ends 50 sessions ready with one meeting each, or flagged for a check, never duplicated', async () => {
    const faults = {
      errorRate: 0.3,
      rateLimitRate: 0.1,
      hangRate: 0.05,
      hangMs: 300,
      lostAnswerRate: 0.05,
    };
    for (const route of ['create_meeting', 'update_meeting', 'get_meeting'] as const)
      stack.zoom.simulator.faults.set(route, faults, 7);

    const sessions = [];
    for (let i = 0; i < 50; i += 1) {
      sessions.push(
        await api.createSession({
          instructorId: i % 2 ? mariaId : priyaId,
          title: `Fault class ${i}`,
          startsAt: `2027-01-${String((i % 28) + 1).padStart(2, '0')}T17:00:00Z`,
          durationMinutes: 60,
        }),
      );
    }
    const clicks = await Promise.all(
      sessions.map((s) => api.call('POST', `/api/v1/class-sessions/${s.id}/zoom-meeting`)),
    );
    expect(clicks.every((c) => c.status === 200 || c.status === 202)).toBe(true);

    const final = await Promise.all(
      sessions.map((s) => api.settled(s.id, ['ready', 'needs_check'], 90_000)),
    );
    stack.zoom.simulator.faults.clear();

    const meetings = [
      ...stack.zoom.simulator.meetingsOf(maria),
      ...stack.zoom.simulator.meetingsOf(priya),
    ];
    const byAgenda = new Map<number, number>();
    for (const m of meetings) {
      const id = Number(/Class session #(\d+)/.exec(m.agenda)?.[1]);
      byAgenda.set(id, (byAgenda.get(id) ?? 0) + 1);
    }
    for (const session of final) {
      const count = byAgenda.get(session.id) ?? 0;
      if (session.zoom.syncState === 'ready') {
        expect(count, `session ${session.id}`).toBe(1);
        expect(meetings.find((m) => String(m.id) === session.zoom.meetingId)?.agenda).toContain(
          `#${session.id} `,
        );
      } else {
        expect(count, `session ${session.id}`).toBeLessThanOrEqual(1);
        expect(session.zoom.lastError?.code).toMatch(/ZOOM_ANSWER_LOST|ZOOM_CREATE_UNCONFIRMED/);
      }
    }
    const ready = final.filter((s) => s.zoom.syncState === 'ready').length;
    expect(ready).toBeGreaterThan(25);
    expect(stack.zoom.simulator.requests('create_meeting').some((r) => r.fault !== null)).toBe(
      true,
    );
  }, 120_000);

  it('settles a needs_check by the meeting id staff found, or by creating again when there is none', async () => {
    const found = await api.createSession({
      instructorId: mariaId,
      title: 'Lost answer, found',
      startsAt: '2027-02-01T17:00:00Z',
      durationMinutes: 60,
    });
    stack.zoom.simulator.faults.next('create_meeting', { kind: 'lost_answer' });
    const click = await api.call('POST', `/api/v1/class-sessions/${found.id}/zoom-meeting`);
    expect(click.body.zoom.syncState).toBe('needs_check');
    expect(click.body.zoom.lastError.message).toContain('Class session #ID');
    const made = stack.zoom.simulator
      .meetingsOf(maria)
      .find((m) => m.agenda.includes(`Class session #${found.id} `));
    expect(made).toBeDefined();

    const retryClick = await api.call('POST', `/api/v1/class-sessions/${found.id}/zoom-meeting`);
    expect(retryClick.body.zoom.syncState).toBe('needs_check');
    expect(
      stack.zoom.simulator.meetingsOf(maria).filter((m) => m.agenda.includes(`#${found.id} `)),
    ).toHaveLength(1);

    const linked = await api.call('POST', `/api/v1/class-sessions/${found.id}/zoom-check`, {
      outcome: 'found',
      meetingId: String(made!.id),
    });
    expect(linked.status).toBe(200);
    expect((await api.settled(found.id)).zoom).toMatchObject({
      syncState: 'ready',
      meetingId: String(made!.id),
      joinUrl: made!.join_url,
    });

    const none = await api.createSession({
      instructorId: mariaId,
      title: 'Lost answer, none',
      startsAt: '2027-02-02T17:00:00Z',
      durationMinutes: 60,
    });
    stack.zoom.simulator.faults.next('create_meeting', { kind: 'hang', ms: 200 });
    expect(
      (await api.call('POST', `/api/v1/class-sessions/${none.id}/zoom-meeting`)).body.zoom
        .syncState,
    ).toBe('needs_check');
    const bad = await api.call('POST', `/api/v1/class-sessions/${none.id}/zoom-check`, {
      outcome: 'found',
      meetingId: '99999999999',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('meetingId');
    const again = await api.call('POST', `/api/v1/class-sessions/${none.id}/zoom-check`, {
      outcome: 'none_found',
    });
    expect(again.status).toBe(200);
    const ready = await api.settled(none.id);
    expect(ready.zoom.syncState).toBe('ready');
    expect(
      stack.zoom.simulator.meetingsOf(maria).filter((m) => m.agenda.includes(`#${none.id} `)),
    ).toHaveLength(1);
  }, 60_000);

  it('applies a reschedule that arrives while the create is in flight, after it', async () => {
    const session = await api.createSession({
      instructorId: mariaId,
      title: 'Moves mid-create',
      startsAt: '2027-03-01T17:00:00Z',
      durationMinutes: 60,
    });
    stack.zoom.simulator.faults.next('create_meeting', { kind: 'latency', ms: 1500 });
    const click = api.call('POST', `/api/v1/class-sessions/${session.id}/zoom-meeting`);
    await waitFor(() => stack.zoom.simulator.requests().length > 0 && true, 2000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const moved = await api.call('PATCH', `/api/v1/class-sessions/${session.id}`, {
      startsAt: '2027-03-02T18:00:00Z',
      title: 'Moved mid-create',
    });
    expect(moved.status).toBe(200);
    await click;

    const final = await api.settled(session.id, ['ready']);
    await waitFor(async () => (await api.session(session.id)).zoom.syncState === 'ready', 10_000);
    const mine = stack.zoom.simulator
      .meetingsOf(maria)
      .filter((m) => m.agenda.includes(`#${session.id} `));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      start_time: '2027-03-02T18:00:00Z',
      topic: 'Moved mid-create',
    });
    expect(final.zoom.meetingId).toBe(String(mine[0]!.id));
  }, 30_000);

  it('deletes the meeting when a cancel arrives while the create is in flight', async () => {
    const session = await api.createSession({
      instructorId: mariaId,
      title: 'Cancelled mid-create',
      startsAt: '2027-03-05T17:00:00Z',
      durationMinutes: 60,
    });
    stack.zoom.simulator.faults.next('create_meeting', { kind: 'latency', ms: 1500 });
    const click = api.call('POST', `/api/v1/class-sessions/${session.id}/zoom-meeting`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await api.call('POST', `/api/v1/class-sessions/${session.id}/cancel`)).status).toBe(
      200,
    );
    await click;

    const final = await api.settled(session.id, ['cancelled']);
    expect(final.zoom.meetingId).toBeNull();
    const all = stack.zoom.simulator
      .meetingsOf(maria, true)
      .filter((m) => m.agenda.includes(`#${session.id} `));
    expect(all).toHaveLength(1);
    expect(all[0]!.deleted_at).not.toBeNull();
  }, 30_000);
});
