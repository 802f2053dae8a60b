/**
 * The one registry of error codes the product can answer with. Each code is stable: clients,
 * tests and log searches rely on it, so a code is never renamed or reused for another meaning.
 * The HTTP status is the answer a request gets when the error reaches the web layer.
 */
export const errorCodes = {
  // Input and access
  VALIDATION_FAILED: 400,
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  LOGIN_FAILED: 401,
  FORBIDDEN: 403,
  CSRF_INVALID: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  LOGIN_THROTTLED: 429,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 503,

  // Configuration and start-up
  CONFIG_INVALID: 500,

  // Token vault
  TOKEN_KEYS_INVALID: 500,
  FERNET_TOKEN_INVALID: 500,

  // OAuth consent and connections
  OAUTH_STATE_MISSING: 400,
  OAUTH_STATE_MISMATCH: 400,
  OAUTH_STATE_EXPIRED: 400,
  OAUTH_STATE_REUSED: 400,
  OAUTH_ACCESS_DENIED: 400,
  OAUTH_CODE_EXCHANGE_FAILED: 502,
  OAUTH_SCOPES_MISSING: 400,
  ZOOM_USER_ALREADY_LINKED: 409,
  ZOOM_NOT_CONNECTED: 409,
  ZOOM_CONNECTION_BROKEN: 409,
  ZOOM_REFRESH_FAILED: 502,

  // Zoom REST API
  ZOOM_UNAUTHORIZED: 502,
  ZOOM_RATE_LIMITED: 503,
  ZOOM_DAILY_LIMIT: 503,
  ZOOM_MEETING_NOT_FOUND: 404,
  ZOOM_REQUEST_INVALID: 502,
  ZOOM_UNAVAILABLE: 503,
  ZOOM_TIMEOUT: 504,
  ZOOM_SCOPE_MISSING: 502,
  ZOOM_RESPONSE_INVALID: 502,
  /** A create timed out or its connection dropped: Zoom may have made the meeting. */
  ZOOM_ANSWER_LOST: 504,
  /** Zoom refused the app's client id or secret: a configuration fault, not the user's. */
  ZOOM_CLIENT_INVALID: 500,

  // Webhooks
  WEBHOOK_SIGNATURE_INVALID: 401,
  WEBHOOK_TIMESTAMP_STALE: 401,
  WEBHOOK_HEADERS_MISSING: 401,
  WEBHOOK_BODY_INVALID: 400,
  WEBHOOK_BODY_TOO_LARGE: 413,
  WEBHOOK_CONTENT_TYPE_UNSUPPORTED: 415,

  // Scheduling
  SESSION_CANCELLED: 409,
  SESSION_NOT_SYNCABLE: 409,

  // Messages
  MAIL_SEND_FAILED: 502,
  SMS_SEND_FAILED: 502,
  ROSTER_INVALID: 400,
} as const satisfies Record<string, number>;

/** A code from the registry above. */
export type ErrorCode = keyof typeof errorCodes;
