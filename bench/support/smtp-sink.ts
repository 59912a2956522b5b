/**
 * A tiny SMTP sink (the `smtp-server` dev dependency): accepts every message, keeps only who it
 * was for, its Message-ID and when it arrived. Unlike maildev it neither parses nor stores the
 * message, so a burst of a thousand mails measures the service, not the inbox.
 */
import { SMTPServer } from 'smtp-server';
import { freePort } from '../../scripts/stack/process';

export interface ReceivedMail {
  recipient: string;
  messageId?: string;
  receivedAt: number;
  bytes: number;
}

export interface SmtpSink {
  host: string;
  port: number;
  mails: ReceivedMail[];
  stop(): Promise<void>;
}

/** The Message-ID header of a raw message (headers end at the first empty line). */
function messageIdOf(raw: Buffer): string | undefined {
  const headerEnd = raw.indexOf('\r\n\r\n');
  const headers = raw.subarray(0, headerEnd < 0 ? raw.length : headerEnd).toString('utf8');
  return headers.match(/^message-id:\s*(\S+)/im)?.[1];
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    maxClients: 1_000,
    onData(stream, session, callback) {
      const parts: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => parts.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(parts);
        const receivedAt = Date.now();
        const messageId = messageIdOf(raw);
        for (const rcpt of session.envelope.rcptTo) {
          mails.push({ recipient: rcpt.address.toLowerCase(), messageId, receivedAt, bytes: raw.length });
        }
        callback();
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    host: '127.0.0.1',
    port,
    mails,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
