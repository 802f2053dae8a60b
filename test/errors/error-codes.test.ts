import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors/app-error.js';
import { errorCodes, type ErrorCode } from '../../src/errors/error-codes.js';

const registrySource = readFileSync(
  new URL('../../src/errors/error-codes.ts', import.meta.url),
  'utf8',
);

describe('the error registry', () => {
  it('names each code once', () => {
    const declared = [...registrySource.matchAll(/^\s+([A-Z][A-Z0-9_]+):\s*\d{3},/gm)].map(
      (m) => m[1],
    );
    expect(declared.length).toBe(Object.keys(errorCodes).length);
    expect(new Set(declared).size).toBe(declared.length);
  });

  it('gives every code an HTTP error status and a stable upper-case name', () => {
    for (const [code, status] of Object.entries(errorCodes)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(600);
    }
  });

  it('takes the status of an error from the registry', () => {
    for (const code of Object.keys(errorCodes) as ErrorCode[]) {
      expect(new AppError(code, 'x').status).toBe(errorCodes[code]);
    }
  });
});
