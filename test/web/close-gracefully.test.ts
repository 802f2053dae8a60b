import { connect } from 'node:net';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { closeGracefully } from '../../src/web/close-gracefully.js';

async function slowServer() {
  const app = Fastify();
  app.get('/slow', async () => {
    await new Promise((resolve) => setTimeout(resolve, 400));
    return { done: true };
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url, port: Number(new URL(url).port) };
}

describe('closeGracefully', () => {
  it('lets a running request finish before the server stops', async () => {
    const { app, url } = await slowServer();
    const answer = fetch(`${url}/slow`);
    await new Promise((resolve) => setTimeout(resolve, 100));

    await closeGracefully(app, 5000);
    const response = await answer;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ done: true });
  });

  it('cuts a connection whose request never finishes once the grace period is over', async () => {
    const { app, port } = await slowServer();
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    socket.on('error', () => undefined);
    await new Promise((resolve) => setTimeout(resolve, 100));

    const started = Date.now();
    await closeGracefully(app, 300);
    expect(Date.now() - started).toBeLessThan(3000);
    socket.destroy();
  });
});
