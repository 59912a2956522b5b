import { inboxUrl } from './env';

export interface InboxMessage {
  id: string;
  subject: string;
  to: { address: string }[];
  headers: Record<string, string | string[]>;
  text?: string;
  attachments?: {
    filename?: string;
    fileName?: string;
    generatedFileName?: string;
    contentType: string;
    length?: number;
    size?: number;
    contentId?: string;
    /** `inline`: a part shown inside the HTML (the chart), not a file offered for download. */
    contentDisposition?: 'inline' | 'attachment';
  }[];
}

/** The files a message offers (its attachments without the parts only shown inside the HTML). */
export function attachedFiles(message: InboxMessage): NonNullable<InboxMessage['attachments']> {
  return (message.attachments ?? []).filter((attachment) => attachment.contentDisposition !== 'inline');
}

/** The test SMTP server's inbox (maildev's JSON API). */
export function messageIdOf(message: InboxMessage): string | undefined {
  const value = message.headers['message-id'];
  return Array.isArray(value) ? value[0] : value;
}

export const inbox = {
  async messages(): Promise<InboxMessage[]> {
    const response = await fetch(`${inboxUrl()}/api/email`);
    if (!response.ok) throw new Error(`inbox answered ${response.status}`);
    return (await response.json()) as InboxMessage[];
  },
  async to(address: string): Promise<InboxMessage[]> {
    return (await this.messages()).filter((m) => m.to.some((t) => t.address.toLowerCase() === address.toLowerCase()));
  },
  /** The message exactly as the SMTP server received it (RFC 5322 source, MIME parts and all). */
  async source(message: InboxMessage): Promise<string> {
    const response = await fetch(`${inboxUrl()}/api/email/${message.id}/source`);
    if (!response.ok) throw new Error(`source of ${message.id} answered ${response.status}`);
    return response.text();
  },
  async attachment(message: InboxMessage, fileName: string): Promise<Buffer> {
    const response = await fetch(`${inboxUrl()}/api/email/${message.id}/attachment/${encodeURIComponent(fileName)}`);
    if (!response.ok) throw new Error(`attachment ${fileName} answered ${response.status}`);
    return Buffer.from(await response.arrayBuffer());
  },
};
