import { SMTPServer } from 'smtp-server';
import { freePort } from '../../scripts/stack/process';

/**
 * A real SMTP server (the `smtp-server` library) that refuses some mailboxes with 550, as a
 * receiving MTA does for an unknown user, and accepts and counts everything else.
 */
export async function startBouncingSmtp(
  refused: (address: string) => boolean,
  options: { acceptDelayMs?: number } = {},
): Promise<{ port: number; accepted: string[]; stop(): Promise<void> }> {
  const accepted: string[] = [];
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
          accepted.push(...session.envelope.rcptTo.map((rcpt) => rcpt.address));
          callback();
        }, options.acceptDelayMs ?? 0);
      });
      stream.resume();
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { port, accepted, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
