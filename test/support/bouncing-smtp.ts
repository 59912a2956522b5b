import { SMTPServer } from 'smtp-server';
import { freePort } from '../../scripts/stack/process';

export interface TestSmtpOptions {
  /** Delay before a message is accepted, by its arrival index (0 = the first message's data). */
  acceptDelayMs?: number | ((messageIndex: number) => number);
  /** Listen on this port (e.g. one a worker was already told to use); a free one otherwise. */
  port?: number;
  /** Whether to refuse this RCPT (attempt 1, 2 … for the address) with 451, as a greylisting or busy server does. */
  temporarilyRefused?: (address: string, attempt: number) => boolean;
  /** Called with the message's recipients just before the server answers 250 for it. */
  beforeAccept?: (recipients: string[]) => void;
  /** Called once a message's data has all arrived (its arrival index), before the server waits to answer it. */
  afterData?: (messageIndex: number) => void;
  /**
   * Called as a client connects (0 = the first connection), before the server greets it: the
   * greeting waits for the promise, so one that never settles is a server that never answers.
   */
  beforeGreeting?: (connectionIndex: number) => Promise<void> | void;
}

/** One client connection as the server saw it. */
export interface SmtpConnection {
  openedAt: number;
  /** When either side closed it. */
  closedAt?: number;
}

/** One RCPT TO as the server saw it. */
export interface RcptAttempt {
  address: string;
  at: number;
  /** 250, 451 or 550. */
  answer: number;
}

/** A message whose client hung up while it waited for the server's answer: never delivered. */
export interface AbandonedMessage {
  /** When the client had sent the whole message. */
  sentAt: number;
  closedAt: number;
}

export interface TestSmtp {
  port: number;
  /** Recipients of accepted messages, one entry per recipient per message. */
  accepted: string[];
  /**
   * Recipients of every message whose data arrived whole, answered or not. A real server may
   * deliver a message whose client hung up before the answer (RFC 1047): each entry may be a mail.
   */
  received: string[];
  /** Every RCPT TO, in arrival order. */
  attempts: RcptAttempt[];
  abandoned: AbandonedMessage[];
  /** Every client connection, in arrival order. */
  connections: SmtpConnection[];
  stop(): Promise<void>;
}

/**
 * A real SMTP server (the `smtp-server` library) that refuses some mailboxes with 550, as a
 * receiving MTA does for an unknown user, and accepts and counts everything else. A message whose
 * client disconnects before it is accepted is not counted, as a real server would not deliver it.
 */
export async function startBouncingSmtp(refused: (address: string) => boolean, options: TestSmtpOptions = {}): Promise<TestSmtp> {
  const accepted: string[] = [];
  const received: string[] = [];
  const attempts: RcptAttempt[] = [];
  const abandoned: AbandonedMessage[] = [];
  const connections: SmtpConnection[] = [];
  const connectionOf = new Map<string, SmtpConnection>();
  /** Messages sent and not answered yet, by session: when they were sent. */
  const waiting = new Map<string, number>();
  const closedSessions = new Set<string>();
  const delayOf = (index: number) =>
    typeof options.acceptDelayMs === 'function' ? options.acceptDelayMs(index) : (options.acceptDelayMs ?? 0);
  let messages = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(session, callback) {
      const connection: SmtpConnection = { openedAt: Date.now() };
      connectionOf.set(session.id, connection);
      const index = connections.push(connection) - 1;
      Promise.resolve(options.beforeGreeting?.(index)).then(() => callback(), callback);
    },
    onRcptTo(address, _session, callback) {
      const attempt = attempts.filter((earlier) => earlier.address === address.address).length + 1;
      const answer = refused(address.address) ? 550 : options.temporarilyRefused?.(address.address, attempt) ? 451 : 250;
      attempts.push({ address: address.address, at: Date.now(), answer });
      if (answer === 250) return callback();
      const text = answer === 550 ? `5.1.1 <${address.address}>: mailbox unavailable` : '4.7.1 try again later';
      callback(Object.assign(new Error(text), { responseCode: answer }));
    },
    onData(stream, session, callback) {
      stream.on('end', () => {
        waiting.set(session.id, Date.now());
        received.push(...session.envelope.rcptTo.map((rcpt) => rcpt.address));
        const index = messages++;
        options.afterData?.(index);
        // A slow receiving server keeps a run busy for as long as the test needs.
        setTimeout(() => {
          if (closedSessions.has(session.id)) return;
          waiting.delete(session.id);
          const recipients = session.envelope.rcptTo.map((rcpt) => rcpt.address);
          options.beforeAccept?.(recipients);
          accepted.push(...recipients);
          callback();
        }, delayOf(index)).unref(); // a message nobody waits for any more must not hold the test process
      });
      stream.resume();
    },
    onClose(session) {
      closedSessions.add(session.id);
      const connection = connectionOf.get(session.id);
      if (connection) connection.closedAt = Date.now();
      const sentAt = waiting.get(session.id);
      if (sentAt !== undefined) abandoned.push({ sentAt, closedAt: Date.now() });
    },
  });
  const port = options.port ?? (await freePort());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { port, accepted, received, attempts, abandoned, connections, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
