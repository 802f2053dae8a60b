import { describe, expect, it } from 'vitest';
import { startTestApp } from '../support/test-app.js';

describe('/healthz', () => {
  it('answers 503 once the database stops answering', async () => {
    const app = await startTestApp({ workers: false });
    try {
      expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
      await app.ctx.jobs.stop(1000);
      await app.ctx.db.close();
      const response = await fetch(`${app.url}/healthz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: 'unavailable' });
    } finally {
      await app.app.close();
      await app.database.drop().catch(() => undefined);
    }
  });
});
