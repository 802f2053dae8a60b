import tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { enforceTlsFloor } from '../../src/app/tls-floor.js';

const original = tls.DEFAULT_MIN_VERSION;

afterEach(() => {
  tls.DEFAULT_MIN_VERSION = original;
});

describe('the TLS floor', () => {
  it('raises a process-wide minimum lowered below TLS 1.2', () => {
    tls.DEFAULT_MIN_VERSION = 'TLSv1';
    enforceTlsFloor();
    expect(tls.DEFAULT_MIN_VERSION).toBe('TLSv1.2');
  });

  it('keeps a stricter minimum as it is', () => {
    tls.DEFAULT_MIN_VERSION = 'TLSv1.3';
    enforceTlsFloor();
    expect(tls.DEFAULT_MIN_VERSION).toBe('TLSv1.3');
  });
});
