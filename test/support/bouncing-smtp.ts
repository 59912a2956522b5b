import { SMTPServer } from 'smtp-server';
import { freePort } from '../../scripts/stack/process';

export interface TestSmtpOptions {
  /** Delay before a message is accepted, by its arrival index (0 = the first message's data). */
  acceptDelayMs?: number | ((messageIndex: number) => number);
  /** Listen on this port (e.g. one a worker was already told to use); a free one otherwise. */
  port?: number;
}

export interface TestSmtp {
  port: number;
  /** Recipients of accepted messages, one entry per recipient per message. */
  accepted: string[];
  stop(): Promise<void>;
}

/**
 * A real SMTP server (the `smtp-server` library) that refuses some mailboxes with 550, as a
 * receiving MTA does for an unknown user, and accepts and counts everything else. A message whose
 * client disconnects before it is accepted is not counted, as a real server would not deliver it.
 */
export async function startBouncingSmtp(refused: (address: string) => boolean, options: TestSmtpOptions = {}): Promise<TestSmtp> {
  const accepted: string[] = [];
  const closedSessions = new Set<string>();
  const delayOf = (index: number) =>
    typeof options.acceptDelayMs === 'function' ? options.acceptDelayMs(index) : (options.acceptDelayMs ?? 0);
  let messages = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (refused(address.address)) {
        const error = Object.assign(new Error(`5.1.1 <${address.address}>: mailbox unavailable`), { responseCode: 550 });
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      stream.on('end', () => {
        // A slow receiving server keeps a run busy for as long as the test needs.
        setTimeout(() => {
          if (closedSessions.has(session.id)) return;
          accepted.push(...session.envelope.rcptTo.map((rcpt) => rcpt.address));
          callback();
        }, delayOf(messages++));
      });
      stream.resume();
    },
    onClose(session) {
      closedSessions.add(session.id);
    },
  });
  const port = options.port ?? (await freePort());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { port, accepted, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
