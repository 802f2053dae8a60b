/**
 * Stops an HTTP server the way a deploy wants: no new requests, running ones may finish, and
 * after a grace period whatever connection is still open is cut. Without that last step a client
 * that opened a connection and never finished its request would hold the shutdown for Node's
 * whole header timeout (a minute).
 */
import type { FastifyInstance } from 'fastify';

/** Closes `app`, cutting connections still open after `graceMs`. */
export async function closeGracefully(app: FastifyInstance, graceMs: number): Promise<void> {
  const cut = setTimeout(() => app.server.closeAllConnections(), graceMs);
  try {
    await app.close();
  } finally {
    clearTimeout(cut);
  }
}
