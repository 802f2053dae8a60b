/**
 * The peer the webhook endpoint is measured against: a plain Node HTTP handler that follows
 * the recipe of Zoom's published webhook sample as an Express app would run it. It parses the
 * JSON body, rebuilds the signed message from `JSON.stringify` of the parsed value (not the raw
 * bytes), and compares the signatures with `===`. It has no timestamp window, no body limit
 * beyond Express's default of 100 kB and no database. Written on node:http because Express is
 * not installed here; express.json() adds its own parsing cost, so the peer is, if anything,
 * a little faster than the real sample.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

const EXPRESS_JSON_LIMIT = 100 * 1024;

/** Starts the peer on 127.0.0.1 and resolves with its base URL. */
export async function startSampleRecipePeer(
  secret: string,
  port = 0,
): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    void handle(secret, request, response);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return { url: `http://127.0.0.1:${bound}`, server };
}

async function handle(secret: string, request: IncomingMessage, response: ServerResponse) {
  const text = await readBody(request);
  if (text === undefined) return send(response, 413, { message: 'too large' });

  let body: { event?: string; payload?: { plainToken?: string } };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return send(response, 400, { message: 'bad json' });
  }

  const message = `v0:${String(request.headers['x-zm-request-timestamp'])}:${JSON.stringify(body)}`;
  const signature = `v0=${createHmac('sha256', secret).update(message).digest('hex')}`;
  if (request.headers['x-zm-signature'] !== signature)
    return send(response, 401, { message: 'unauthorized' });

  if (body.event === 'endpoint.url_validation') {
    const plainToken = body.payload?.plainToken ?? '';
    const encryptedToken = createHmac('sha256', secret).update(plainToken).digest('hex');
    return send(response, 200, { plainToken, encryptedToken });
  }
  return send(response, 200, { message: 'authorized' });
}

async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > EXPRESS_JSON_LIMIT) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, status: number, body: object): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
