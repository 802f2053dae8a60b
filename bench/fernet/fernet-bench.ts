/**
 * Encrypt and decrypt throughput of our Fernet (`src/crypto/fernet.ts`, on node:crypto) against
 * the npm `fernet` package (crypto-js), side by side in one process, for a short and a ~1 KB
 * message. Each round runs every case for a fixed time, cases interleaved so that warm-up and
 * machine noise fall on both; the medians of the rounds are printed with the ratio.
 *
 * Run: `npm run build && node dist/bench/fernet/fernet-bench.js [rounds] [msPerCase]`.
 */
import fernet from 'fernet';

import { Fernet } from '../../src/crypto/fernet.js';
import { generateFernetKey } from '../../src/crypto/key-ring.js';

interface Case {
  readonly name: string;
  readonly run: () => unknown;
}

const rounds = Number(process.argv[2] ?? 7);
const msPerCase = Number(process.argv[3] ?? 400);
const key = generateFernetKey();
const ours = new Fernet(key);
const secret = new fernet.Secret(key);

const messages = {
  '40 B': 'ya29.a0AfH6SMB-short-zoom-access-token!!',
  '1 KB': 'eyJ'.padEnd(1024, 'abcdefghijklmnopqrstuvwxyz0123456789-_'),
};

function npmEncrypt(message: string): string {
  return new fernet.Token({ secret, ttl: 0 }).encode(message);
}

function npmDecrypt(token: string): string {
  return new fernet.Token({ secret, token, ttl: 0 }).decode();
}

/** Both libraries must read each other's tokens, or the comparison means nothing. */
function checkAgreement(message: string): void {
  const fromNpm = npmEncrypt(message);
  const fromOurs = ours.encrypt(message);
  if (ours.decrypt(fromNpm).toString('utf8') !== message || npmDecrypt(fromOurs) !== message) {
    console.error('the two implementations disagree; figures would be meaningless');
    process.exit(1);
  }
}

function casesFor(size: string, message: string): Case[] {
  const ourToken = ours.encrypt(message);
  const npmToken = npmEncrypt(message);
  return [
    { name: `ours encrypt ${size}`, run: () => ours.encrypt(message) },
    { name: `npm  encrypt ${size}`, run: () => npmEncrypt(message) },
    { name: `ours decrypt ${size}`, run: () => ours.decrypt(ourToken).toString('utf8') },
    { name: `npm  decrypt ${size}`, run: () => npmDecrypt(npmToken) },
  ];
}

/** Operations per second of `run` over about `msPerCase` milliseconds. */
function measure(run: () => unknown): number {
  const deadline = performance.now() + msPerCase;
  const start = performance.now();
  let operations = 0;
  while (performance.now() < deadline) {
    for (let i = 0; i < 100; i += 1) run();
    operations += 100;
  }
  return operations / ((performance.now() - start) / 1000);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function main(): void {
  const cases = Object.entries(messages).flatMap(([size, message]) => {
    checkAgreement(message);
    return casesFor(size, message);
  });
  const samples = new Map<string, number[]>(cases.map((c) => [c.name, []]));

  for (const c of cases) measure(c.run);
  for (let round = 1; round <= rounds; round += 1) {
    for (const c of cases) samples.get(c.name)?.push(measure(c.run));
    console.error(`round ${round}/${rounds} done`);
  }

  const medians = new Map([...samples].map(([name, values]) => [name, median(values)]));
  console.log(`node ${process.version}, ${rounds} rounds of ${msPerCase} ms per case`);
  console.log('operation        ours ops/s     npm ops/s   ours/npm');
  for (const [size] of Object.entries(messages)) {
    for (const op of ['encrypt', 'decrypt']) {
      const own = medians.get(`ours ${op} ${size}`) ?? 0;
      const npm = medians.get(`npm  ${op} ${size}`) ?? 0;
      const label = `${op} ${size}`.padEnd(14);
      const row = `${label} ${fmt(own)}  ${fmt(npm)}   ${(own / npm).toFixed(2)}x`;
      console.log(row);
    }
  }
}

function fmt(opsPerSecond: number): string {
  return Math.round(opsPerSecond).toLocaleString('en-US').padStart(12);
}

main();
