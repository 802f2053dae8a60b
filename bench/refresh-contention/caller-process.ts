/**
 * One of the benchmark's processes: a product context on the shared database, waiting on
 * standard input for `go <instructorId> <callers>`; it then starts that many concurrent
 * `getAccessToken` calls through the TokenService and prints one JSON line with each caller's
 * wait in milliseconds.
 */
import { createInterface } from 'node:readline';

import { createContext } from '../../src/app/create-context.js';
import { loadConfig } from '../../src/config/config.js';
import { TokenService } from '../../src/connections/token-service.js';
import { createLogger } from '../../src/logging/logger.js';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const ctx = await createContext(config, createLogger('warn'));
  const tokens = new TokenService(ctx);

  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    const [command, id, count] = line.trim().split(/\s+/);
    if (command === 'quit') break;
    if (command !== 'go') continue;

    const waits = await Promise.all(
      Array.from({ length: Number(count) }, () => timed(() => tokens.getAccessToken(Number(id)))),
    );
    process.stdout.write(`${JSON.stringify({ waits })}\n`);
  }
  await ctx.db.close();
  // Standard input stays open after `quit`; end the process rather than wait for its end.
  process.exit(0);
}

async function timed(call: () => Promise<string>): Promise<number> {
  const started = performance.now();
  await call();
  return performance.now() - started;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
