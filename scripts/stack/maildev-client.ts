/** maildev 3's JSON API on its web port, for tests: `GET /api/email` lists, `DELETE /api/email/all` empties. */

export interface MaildevAddress {
  address: string;
  name?: string;
}

export interface MaildevEmail {
  id: string;
  subject: string;
  from: MaildevAddress[];
  to: MaildevAddress[];
  cc?: MaildevAddress[];
  text?: string;
  html?: string;
  messageId?: string;
  /** When maildev received it (ISO 8601). */
  time: string;
  attachments?: { fileName?: string; generatedFileName?: string; contentType: string; size?: number; length?: number }[];
}

async function call(method: 'GET' | 'DELETE', url: string): Promise<unknown> {
  const response = await fetch(url, { method });
  if (!response.ok) throw new Error(`maildev ${method} ${url} answered ${response.status}`);
  return response.json();
}

/** Every e-mail in the inbox, in arrival order. */
export async function listEmails(webUrl: string): Promise<MaildevEmail[]> {
  return (await call('GET', `${webUrl}/api/email`)) as MaildevEmail[];
}

export async function deleteAllEmails(webUrl: string): Promise<void> {
  await call('DELETE', `${webUrl}/api/email/all`);
}
