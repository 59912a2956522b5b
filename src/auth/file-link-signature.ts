import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a signed file link names: one file of one run of one task of one tenant. */
export interface SignedFile {
  tenant: string;
  taskId: string;
  executionId: string;
  fileAlias: string;
}

export interface FileLinkSettings {
  secret: string;
  /** How long a link opens its file after it was made. */
  ttlSeconds: number;
}

export type FileLinkCheck = 'valid' | 'expired' | 'tampered';

/**
 * The signature of an e-mail's file link: HMAC-SHA256 over the file's identity and the expiry, so
 * a recipient opens the file without a token until the link expires, and changing any part of the
 * link (another file, run, tenant or a later expiry) makes it worthless.
 */
export class FileLinkSigner {
  constructor(private readonly settings: FileLinkSettings) {}

  sign(file: SignedFile, now: Date): { expires: number; signature: string } {
    const expires = Math.floor(now.getTime() / 1000) + this.settings.ttlSeconds;
    return { expires, signature: this.mac(file, expires) };
  }

  /** Tampering is checked first: an expired link with a wrong signature says nothing about the file. */
  check(file: SignedFile, expires: number, signature: string, now: Date): FileLinkCheck {
    const expected = Buffer.from(this.mac(file, expires));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'tampered';
    return now.getTime() / 1000 > expires ? 'expired' : 'valid';
  }

  private mac(file: SignedFile, expires: number): string {
    // Length-prefixed parts: no two different identities give the same signed text.
    const parts = [file.tenant, file.taskId, file.executionId, file.fileAlias, String(expires)];
    const text = parts.map((part) => `${part.length}:${part}`).join('|');
    return createHmac('sha256', this.settings.secret).update(text).digest('base64url');
  }
}
