/**
 * A local HTTP stand-in for Twilio's Messages endpoint. It records every request as received
 * (path, Authorization header, form fields) and answers like Twilio: 201 with a message SID,
 * or a queued error status.
 */
import { createServer, type IncomingMessage } from 'node:http';

/** One request the stand-in received. */
export interface TwilioRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly contentType: string | undefined;
  readonly form: Record<string, string>;
}

/** A running stand-in. */
export interface TwilioStandIn {
  readonly url: string;
  readonly requests: TwilioRequest[];
  /** Answers the next requests with these statuses (then 201 again). */
  failNext(...statuses: number[]): void;
  close(): Promise<void>;
}

/** Starts the stand-in on a free port. */
export async function startTwilioStandIn(): Promise<TwilioStandIn> {
  const requests: TwilioRequest[] = [];
  const failures: number[] = [];
  let count = 0;

  const server = createServer((request, response) => {
    void readBody(request).then((body) => {
      requests.push({
        method: request.method ?? '',
        path: request.url ?? '',
        authorization: request.headers.authorization,
        contentType: request.headers['content-type'],
        form: Object.fromEntries(new URLSearchParams(body)),
      });
      const status = failures.shift() ?? 201;
      count += 1;
      const answer =
        status === 201
          ? { sid: `SM${String(count).padStart(32, '0')}`, status: 'queued' }
          : { code: status === 400 ? 21211 : 20500, message: 'refused by the test', status };
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer));
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext: (...statuses) => failures.push(...statuses),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}
