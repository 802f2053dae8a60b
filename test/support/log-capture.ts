/** A pino destination that keeps every line, so tests can search the logs of real requests. */
import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { createLogger } from '../../src/logging/logger.js';

/** Captured log lines and the logger writing them. */
export interface LogCapture {
  readonly log: Logger;
  readonly lines: string[];
  /** Everything written so far, as one text. */
  text(): string;
}

/** A logger at debug level writing into memory. */
export function captureLogs(level = 'debug'): LogCapture {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { log: createLogger(level, sink), lines, text: () => lines.join('\n') };
}
