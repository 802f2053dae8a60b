/**
 * A real SMTP server on 127.0.0.1 for tests (the `smtp-server` package). It keeps every
 * message it accepts, parsed with mailparser, and can be told to refuse the next messages
 * with a given reply code.
 */
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** One accepted message. */
export interface ReceivedMail {
  readonly raw: string;
  readonly parsed: ParsedMail;
  readonly envelopeTo: string[];
}

/** A running SMTP sink. */
export interface SmtpSink {
  readonly url: string;
  readonly received: ReceivedMail[];
  /** Refuses the next `count` messages at DATA with `code` (e.g. 451 or 550). */
  refuseNext(count: number, code: number): void;
  /** Messages refused so far. */
  refusals(): number;
  close(): Promise<void>;
}

/** Starts an SMTP server on a free port. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  let refuse = { count: 0, code: 0 };
  let refused = 0;

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    closeTimeout: 200,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (refuse.count > 0) {
          refuse = { ...refuse, count: refuse.count - 1 };
          refused += 1;
          const error = Object.assign(new Error('refused by the test'), {
            responseCode: refuse.code,
          });
          return callback(error);
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        const envelopeTo = session.envelope.rcptTo.map((address) => address.address);
        simpleParser(raw).then(
          (parsed) => {
            received.push({ raw, parsed, envelopeTo });
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    refuseNext: (count, code) => {
      refuse = { count, code };
    },
    refusals: () => refused,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
