import nodemailer, { type Transporter } from 'nodemailer';
import { DeliveryChannelError } from './channel-error';

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  password?: string;
  from: string;
  /** One send's limit: no connection, greeting or silence of the server waits longer, nor the whole send. */
  timeoutMs?: number;
}

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  /** The same message as HTML (multipart/alternative with `text`); images it shows by `cid:` are attachments with a `cid`. */
  html?: string;
  /** Deterministic per (execution, recipient), so a receiver can drop a duplicate sent across a crash. */
  messageId: string;
  attachments: EmailAttachment[];
}

export interface EmailAttachment {
  fileName: string;
  contentType: string;
  content: Buffer;
  /** Referenced from the HTML part as `cid:<cid>`. */
  cid?: string;
  /** Only shown inside the HTML part, not offered as a file of its own. */
  inlineOnly?: boolean;
}

/** An SMTP failure, split by whether sending again can help (4xx, network) or not (5xx for the mailbox). */
export class EmailDeliveryError extends DeliveryChannelError {
  constructor(message: string, permanent: boolean) {
    super('EMAIL_DELIVERY_FAILURE', message, permanent);
  }
}

export class EmailSender {
  private readonly transport: Transporter;

  constructor(private readonly settings: SmtpSettings) {
    this.transport = nodemailer.createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      auth: settings.user ? { user: settings.user, pass: settings.password } : undefined,
      ...(settings.timeoutMs ? { connectionTimeout: settings.timeoutMs, greetingTimeout: settings.timeoutMs, socketTimeout: settings.timeoutMs } : {}),
    });
  }

  /**
   * Sends one message, within `timeoutMs` in all: the connection is closed then and the send fails
   * as transient. Nothing else cuts it short: once the message is on the wire the server may
   * deliver it whatever happens to the connection, so the caller learns the server's answer.
   */
  async send(message: EmailMessage): Promise<void> {
    const deadline = this.settings.timeoutMs ? AbortSignal.timeout(this.settings.timeoutMs) : undefined;
    try {
      await this.transport.sendMail({
        ...(deadline ? { signal: deadline } : {}),
        from: this.settings.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
        messageId: message.messageId,
        attachments: message.attachments.map((a) => ({
          filename: a.fileName,
          contentType: a.contentType,
          content: a.content,
          ...(a.cid ? { cid: a.cid, contentDisposition: a.inlineOnly ? ('inline' as const) : ('attachment' as const) } : {}),
        })),
      });
    } catch (error) {
      if (deadline?.aborted) throw new EmailDeliveryError(`the SMTP server did not take the message within ${this.settings.timeoutMs! / 1000} s`, false);
      const { responseCode, message: text } = error as { responseCode?: number; message?: string };
      throw new EmailDeliveryError(text ?? String(error), responseCode !== undefined && responseCode >= 500);
    }
  }

  close(): void {
    this.transport.close();
  }
}
