/**
 * The command line: `safedriver-zoom <command>` or `npm run cli -- <command>`. Commands print
 * plain text for people; machine-read values (the API token) stand alone on the last line.
 */
import 'dotenv/config';
import { parseArgs } from 'node:util';
import { enforceTlsFloor } from '../app/tls-floor.js';
import { isAppError } from '../errors/app-error.js';
import { commands } from './commands.js';

const usage = `usage: safedriver-zoom <command> [options]

commands:
  migrate                                   apply pending database migrations
  create-user --email E --name N --role R   create a user (admin, staff or instructor);
                                            the password is the first line of standard input
  create-api-token --email E                issue an API token for a staff or admin user
  rotate-keys                               re-encrypt every stored token under the first
                                            key of TOKEN_KEYS
  zoom-simulator [--port N]                 run the built-in Zoom simulator on its own
`;

async function main(argv: string[]): Promise<number> {
  enforceTlsFloor();
  const [name, ...rest] = argv;
  const command = name === undefined ? undefined : commands[name];
  if (!command) {
    process.stderr.write(
      name === undefined || name === 'help' ? usage : `unknown command: ${name}\n\n${usage}`,
    );
    return name === undefined || name === 'help' ? 0 : 2;
  }
  const { values } = parseArgs({ args: rest, options: command.options, strict: true });
  return command.run(values as Record<string, string | undefined>);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = isAppError(error) ? describe(error) : String(error);
    process.stderr.write(`error: ${message}\n`);
    process.exitCode = 1;
  },
);

function describe(error: {
  message: string;
  fields?: readonly { field: string; message: string }[] | undefined;
}) {
  const fields = error.fields?.map((f) => `${f.field}: ${f.message}`).join(', ');
  return fields ? `${error.message} (${fields})` : error.message;
}
