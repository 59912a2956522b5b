import nodemailer, { type Transporter } from 'nodemailer';
import { DeliveryChannelError } from './channel-error';

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  password?: string;
  from: string;
  /** One delivery attempt's limit: no connection, greeting or silence of the server waits longer. */
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
    const limit = (ms: number) => Math.min(ms, settings.timeoutMs ?? ms);
    this.transport = nodemailer.createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      auth: settings.user ? { user: settings.user, pass: settings.password } : undefined,
      connectionTimeout: limit(10_000),
      greetingTimeout: limit(10_000),
      socketTimeout: limit(30_000),
    });
  }

  async send(message: EmailMessage): Promise<void> {
    try {
      await this.transport.sendMail({
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
      const { responseCode, message: text } = error as { responseCode?: number; message?: string };
      throw new EmailDeliveryError(text ?? String(error), responseCode !== undefined && responseCode >= 500);
    }
  }

  close(): void {
    this.transport.close();
  }
}
