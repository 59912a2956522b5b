import type { Request } from 'express';
import { ValidationError } from '../errors';

/**
 * Page cursors: an opaque token carrying the offset. Following `links.next.href` from the first
 * page visits every item once, in the sort order, as long as the set does not change meanwhile.
 */
export function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

export function decodeCursor(token: string, field: string): number {
  try {
    const { o } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o: unknown };
    if (Number.isInteger(o) && (o as number) >= 0) return o as number;
  } catch {
    // fall through to the error
  }
  throw new ValidationError([{ field, rule: 'invalid_cursor', message: 'is not a page cursor issued by this API' }]);
}

export interface PageLink {
  href: string;
  type?: 'next' | 'prev';
  token?: string;
}

export interface PageLinks {
  self: PageLink;
  next?: PageLink;
  prev?: PageLink;
}

/** self/next/prev links that repeat the request's own query with a different page cursor. */
export function pageLinks(req: Request, base: string, page: { offset: number; limit: number; count: number; total: number }): PageLinks {
  const url = (offset: number | undefined) => {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(req.query)) {
      if (['page', 'next', 'prev', 'offset'].includes(key)) continue;
      for (const item of Array.isArray(value) ? value : [value]) query.append(key, String(item));
    }
    if (offset !== undefined && offset > 0) query.set('page', encodeCursor(offset));
    const search = query.toString();
    return `${base}${req.path}${search ? `?${search}` : ''}`;
  };
  const links: PageLinks = { self: { href: url(page.offset) } };
  if (page.offset + page.count < page.total) {
    const token = encodeCursor(page.offset + page.limit);
    links.next = { href: url(page.offset + page.limit), type: 'next', token };
  }
  if (page.offset > 0) {
    const previous = Math.max(0, page.offset - page.limit);
    links.prev = { href: url(previous), type: 'prev', token: encodeCursor(previous) };
  }
  return links;
}
