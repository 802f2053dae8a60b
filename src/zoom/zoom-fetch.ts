/**
 * One HTTP exchange with Zoom over Node's global fetch, with a timeout, and the body read in
 * full. Transport failures are sorted into what they mean for a retry: a request that never
 * left this host (connection refused, name not found) is safe to send again; a timeout or a
 * connection dropped mid-way may have reached Zoom, so only idempotent calls may repeat it.
 */

/** A complete answer from Zoom: status, headers and the whole body as text. */
export interface ZoomAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** Why no answer arrived. `not-sent` is the only kind where Zoom surely did nothing. */
export type TransportFailureKind = 'timeout' | 'not-sent' | 'dropped';

/** The result of one exchange: an answer or a classified transport failure. */
export type ZoomExchange =
  | { readonly ok: true; readonly answer: ZoomAnswer }
  | { readonly ok: false; readonly failure: TransportFailureKind; readonly cause: unknown };

/** What to send. Headers carry credentials; they are never logged by this module. */
export interface ZoomFetchRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly timeoutMs: number;
}

// Error codes of a connection that was never made: the request cannot have reached Zoom.
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Sends one request and reads the whole answer; never throws, failures are returned. */
export async function zoomFetch(request: ZoomFetchRequest): Promise<ZoomExchange> {
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    const text = await response.text();

    return { ok: true, answer: { status: response.status, headers: response.headers, text } };
  } catch (error) {
    return { ok: false, failure: classifyTransportFailure(error), cause: error };
  }
}

/** Sorts a fetch rejection into timeout, never-sent or dropped. */
export function classifyTransportFailure(error: unknown): TransportFailureKind {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return 'timeout';
  }

  const code = causeCode(error);
  if (code !== undefined && NOT_SENT_CODES.has(code)) return 'not-sent';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return 'timeout';

  return 'dropped';
}

function causeCode(error: unknown): string | undefined {
  const cause = error instanceof Error ? error.cause : undefined;
  if (typeof cause !== 'object' || cause === null) return undefined;

  const code = (cause as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
