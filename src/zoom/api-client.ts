/**
 * The product's REST client for one Zoom user's account: profile and meeting CRUD over the
 * transport in zoom-http.ts, which holds the retry, refresh and error-translation rules.
 */
import { getMeeting, createMeeting, deleteMeeting, updateMeeting } from './meetings-api.js';
import type { CreatedZoomMeeting, ZoomDeleteResult, ZoomMeetingDetails } from './meetings-api.js';
import type { ZoomMeetingBody, ZoomMeetingPatch } from './meeting-body.js';
import { getMe, type ZoomProfile } from './users-api.js';
import { ZoomHttp, type ZoomHttpOptions } from './zoom-http.js';

export type { CreatedZoomMeeting, ZoomDeleteResult, ZoomMeetingDetails } from './meetings-api.js';
export type { ZoomProfile } from './users-api.js';
export type { AccessTokenSource, ZoomHttpOptions as ZoomApiClientOptions } from './zoom-http.js';

/** Zoom REST calls on behalf of the user whose tokens `getAccessToken` hands out. */
export class ZoomApiClient {
  readonly #http: ZoomHttp;

  constructor(options: ZoomHttpOptions) {
    this.#http = new ZoomHttp(options);
  }

  /** The token owner's profile: id, account id, email, display name, plan type. */
  getMe(): Promise<ZoomProfile> {
    return getMe(this.#http);
  }

  /** Creates a meeting; never retried after a lost answer (`ZOOM_ANSWER_LOST`). */
  createMeeting(body: ZoomMeetingBody): Promise<CreatedZoomMeeting> {
    return createMeeting(this.#http, body);
  }

  /** Reads a meeting back; `ZOOM_MEETING_NOT_FOUND` when Zoom has none. */
  getMeeting(meetingId: string): Promise<ZoomMeetingDetails> {
    return getMeeting(this.#http, meetingId);
  }

  /** Changes a meeting; `ZOOM_MEETING_NOT_FOUND` when Zoom has none. */
  updateMeeting(meetingId: string, patch: ZoomMeetingPatch): Promise<void> {
    return updateMeeting(this.#http, meetingId, patch);
  }

  /** Deletes a meeting; resolves `{ alreadyGone: true }` when Zoom had none. */
  deleteMeeting(meetingId: string): Promise<ZoomDeleteResult> {
    return deleteMeeting(this.#http, meetingId);
  }
}
