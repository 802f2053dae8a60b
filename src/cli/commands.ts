/** The commands of the command line, each a small function over the shared context. */
import { createInterface } from 'node:readline';
import type { ParseArgsConfig } from 'node:util';
import { createContext } from '../app/create-context.js';
import type { AppContext } from '../app/app-context.js';
import { createApiToken } from '../auth/api-token-store.js';
import { createUser, findUserByEmail, roles, type Role } from '../auth/user-store.js';
import { loadConfig } from '../config/config.js';
import { rotateSecrets } from '../crypto/rotate-secrets.js';
import { AppError } from '../errors/app-error.js';
import { createLogger } from '../logging/logger.js';
import { runSimulatorCommand } from './simulator-command.js';

/** One command: its options and what it does; resolves to the exit code. */
export interface Command {
  readonly options: NonNullable<ParseArgsConfig['options']>;
  run(values: Record<string, string | undefined>): Promise<number>;
}

const text = { type: 'string' } as const;

/** Every command by name. */
export const commands: Record<string, Command> = {
  migrate: { options: {}, run: () => withContext(async () => 0) },
  'create-user': {
    options: { email: text, name: text, role: text },
    run: (values) => withContext((ctx) => createUserCommand(ctx, values)),
  },
  'create-api-token': {
    options: { email: text },
    run: (values) => withContext((ctx) => createApiTokenCommand(ctx, values)),
  },
  'rotate-keys': {
    options: { 'batch-size': text },
    run: (values) => withContext((ctx) => rotateKeysCommand(ctx, values)),
  },
  'zoom-simulator': { options: { port: text, host: text }, run: runSimulatorCommand },
};

/** Opens (and migrates) the database, runs `work`, closes everything. */
async function withContext(work: (ctx: AppContext) => Promise<number>): Promise<number> {
  const config = loadConfig(process.env);
  // Command output is for people; logs go to standard error so stdout stays clean.
  const log = createLogger(process.env['LOG_LEVEL'] ?? 'warn', process.stderr);
  const ctx = await createContext(config, log);
  try {
    return await work(ctx);
  } finally {
    await ctx.db.close();
  }
}

async function createUserCommand(ctx: AppContext, values: Record<string, string | undefined>) {
  const { email, name, role } = values;
  if (!email || !name || !role) throw usageError('create-user needs --email, --name and --role');
  if (!roles.includes(role as Role)) throw usageError(`--role must be one of ${roles.join(', ')}`);

  const password = await readFirstLine();
  const user = await createUser(ctx.db, { email, name, role: role as Role, password });
  process.stdout.write(`created ${user.role} ${user.email} (id ${user.id})\n`);
  return 0;
}

async function createApiTokenCommand(ctx: AppContext, values: Record<string, string | undefined>) {
  if (!values['email']) throw usageError('create-api-token needs --email');
  const user = await findUserByEmail(ctx.db, values['email']);
  if (!user) throw new AppError('NOT_FOUND', `no user with email ${values['email']}`);

  const token = await createApiToken(ctx.db, user);
  process.stdout.write(`API token for ${user.email} (shown once, store it now):\n${token}\n`);
  return 0;
}

async function rotateKeysCommand(ctx: AppContext, values: Record<string, string | undefined>) {
  const batchSize = values['batch-size'] === undefined ? undefined : Number(values['batch-size']);
  const results = await rotateSecrets({
    db: ctx.db,
    secretBox: ctx.vault,
    log: ctx.log,
    ...(batchSize ? { batchSize } : {}),
  });
  for (const r of results) {
    process.stdout.write(
      `${r.table}.${r.column}: ${r.scanned} scanned, ${r.rotated} re-encrypted, ` +
        `${r.alreadyCurrent} already under the first key, ${r.changedMeanwhile} changed meanwhile, ` +
        `${r.unreadable} unreadable\n`,
    );
  }
  const unreadable = results.reduce((sum, r) => sum + r.unreadable, 0);
  return unreadable > 0 ? 1 : 0;
}

/** Reads the first line of standard input (the password), without echoing anything. */
function readFirstLine(): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: process.stdin, terminal: false });
    let done = false;
    lines.once('line', (line) => {
      done = true;
      lines.close();
      resolve(line);
    });
    lines.once('close', () => {
      if (!done) reject(usageError('the password must be the first line of standard input'));
    });
  });
}

function usageError(message: string): AppError {
  return new AppError('VALIDATION_FAILED', message);
}
