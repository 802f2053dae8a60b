/**
 * The simulated Zoom's meetings, kept in full as Zoom would answer them. Deleted meetings stay
 * in the store flagged with `deleted_at`, so a test can see what the product removed.
 */
import { randomBytes, randomInt } from 'node:crypto';

import { randomToken } from './oauth-grants.js';
import type { SimUser } from './user-directory.js';

/** A stored meeting: Zoom's fields plus when it was deleted. */
export interface SimMeeting {
  id: number;
  uuid: string;
  host_id: string;
  host_email: string;
  topic: string;
  type: number;
  status: 'waiting';
  start_time: string | undefined;
  duration: number;
  timezone: string;
  agenda: string;
  created_at: string;
  password: string;
  h323_password: string;
  pstn_password: string;
  encrypted_password: string;
  pre_schedule: boolean;
  settings: Record<string, unknown>;
  join_url: string;
  deleted_at: string | null;
}

/** The fields a create or update may set, already checked and with start_time in UTC. */
export interface MeetingChanges {
  topic?: string;
  type?: number;
  start_time?: string;
  duration?: number;
  timezone?: string;
  agenda?: string;
  password?: string;
  pre_schedule?: boolean;
  settings?: Record<string, unknown>;
}

/** Settings Zoom fills in when a create leaves them out (the spec's defaults). */
const defaultSettings: Record<string, unknown> = {
  host_video: false,
  participant_video: false,
  join_before_host: false,
  jbh_time: 0,
  mute_upon_entry: false,
  watermark: false,
  use_pmi: false,
  approval_type: 2,
  audio: 'both',
  auto_recording: 'none',
  waiting_room: false,
  meeting_authentication: false,
  private_meeting: false,
  email_notification: true,
  registrants_email_notification: true,
  encryption_type: 'enhanced_encryption',
};

/** Formats a time as Zoom writes it: `yyyy-MM-ddTHH:mm:ssZ`, no milliseconds. */
export function zoomTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function passcode(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  let text = '';
  for (let i = 0; i < 8; i += 1) text += alphabet[randomInt(alphabet.length)];
  return text;
}

/** Meetings by id. */
export class MeetingStore {
  readonly #meetings = new Map<number, SimMeeting>();

  /** Creates a meeting hosted by `host`; `baseUrl` is where join links point. */
  create(host: SimUser, changes: MeetingChanges, baseUrl: string, now: number): SimMeeting {
    const id = this.#freshId();
    const password = changes.password ?? passcode();
    const meeting: SimMeeting = {
      id,
      uuid: randomBytes(16).toString('base64'),
      host_id: host.id,
      host_email: host.email,
      topic: changes.topic ?? 'Zoom meeting',
      type: changes.type ?? 2,
      status: 'waiting',
      start_time: changes.start_time ?? zoomTime(now),
      duration: changes.duration ?? 60,
      timezone: changes.timezone ?? host.timezone,
      agenda: changes.agenda ?? '',
      created_at: zoomTime(now),
      password,
      h323_password: String(randomInt(100_000, 1_000_000)),
      pstn_password: String(randomInt(100_000, 1_000_000)),
      encrypted_password: randomToken(24),
      pre_schedule: changes.pre_schedule ?? false,
      settings: { ...defaultSettings, ...changes.settings },
      join_url: `${baseUrl}/j/${id}?pwd=${randomToken(24)}`,
      deleted_at: null,
    };
    this.#meetings.set(id, meeting);
    return meeting;
  }

  /** The live meeting with this id, or undefined when unknown or deleted. */
  get(id: number): SimMeeting | undefined {
    const meeting = this.#meetings.get(id);
    return meeting && meeting.deleted_at === null ? meeting : undefined;
  }

  /** Applies an update's fields to a live meeting. */
  update(meeting: SimMeeting, changes: MeetingChanges): void {
    const { settings, ...fields } = changes;
    Object.assign(meeting, fields);
    if (settings) meeting.settings = { ...meeting.settings, ...settings };
  }

  /** Marks a meeting deleted. */
  delete(meeting: SimMeeting, now: number): void {
    meeting.deleted_at = zoomTime(now);
  }

  /** Meetings hosted by a user, oldest first; deleted ones only when asked for. */
  ofHost(hostId: string, includeDeleted = false): SimMeeting[] {
    return [...this.#meetings.values()].filter(
      (meeting) => meeting.host_id === hostId && (includeDeleted || meeting.deleted_at === null),
    );
  }

  #freshId(): number {
    // Zoom's meeting numbers have 10 or 11 digits; 11 here, so clients cannot assume 10.
    for (;;) {
      const id = randomInt(10_000_000_000, 100_000_000_000);
      if (!this.#meetings.has(id)) return id;
    }
  }
}
