/**
 * Tokens must stay readable by other Fernet implementations, so that stored secrets never
 * depend on this code base alone. Python's `cryptography.fernet` is the reference used here;
 * the test needs `python3` with the `cryptography` package installed.
 */
import { execFileSync } from 'node:child_process';

import { describe, expect, it } from 'vitest';

import { Fernet } from '../../src/crypto/fernet.js';
import { generateFernetKey, KeyRing } from '../../src/crypto/key-ring.js';
import { SecretBox } from '../../src/crypto/secret-box.js';

// FERNET_PYTHON names an interpreter that has `cryptography` when the first python3 on PATH lacks it.
const pythonBin = process.env['FERNET_PYTHON'] ?? 'python3';

const pythonDecrypt = `
import sys
from cryptography.fernet import Fernet
sys.stdout.buffer.write(Fernet(sys.argv[1].encode()).decrypt(sys.argv[2].encode()))
`;

const pythonEncrypt = `
import sys
from cryptography.fernet import Fernet
sys.stdout.write(Fernet(sys.argv[1].encode()).encrypt(sys.stdin.buffer.read()).decode())
`;

const pythonGenerateKey = `
from cryptography.fernet import Fernet
print(Fernet.generate_key().decode())
`;

function python(script: string, args: string[], input = ''): Buffer {
  return execFileSync(pythonBin, ['-c', script, ...args], { input, timeout: 20_000 });
}

describe('Fernet interoperability with Python cryptography', () => {
  const message = 'zoom token ✓ with\nnew lines and a long tail '.repeat(5);

  it('writes tokens that Python decrypts', () => {
    const key = generateFernetKey();

    const token = new Fernet(key).encrypt(message);

    expect(python(pythonDecrypt, [key, token]).toString('utf8')).toBe(message);
  });

  it('decrypts tokens that Python writes, under a key that Python generates', () => {
    const key = python(pythonGenerateKey, []).toString('utf8').trim();

    const token = python(pythonEncrypt, [key], message).toString('utf8');

    expect(new Fernet(key).decrypt(token, { ttlSeconds: 60 }).toString('utf8')).toBe(message);
  });

  it('stores sealed secrets as tokens Python opens, and opens envelopes Python seals', () => {
    const key = generateFernetKey();
    const box = new SecretBox(new KeyRing([key]));
    const context = 'zoom_connections:7:refresh_token';

    const fromUs = python(pythonDecrypt, [key, box.seal('refresh-value', context)]);
    const fromPython = python(pythonEncrypt, [key], `v1\n${context}\nfrom-python`).toString();

    expect(fromUs.toString('utf8')).toBe(`v1\n${context}\nrefresh-value`);
    expect(box.open(fromPython, context)).toBe('from-python');
  });
});
