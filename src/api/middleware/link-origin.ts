import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { HOST_ENTRY } from '../../config';

declare module 'express-serve-static-core' {
  interface Request {
    /** Scheme and authority of the absolute URLs in this request's `links` and `Location`. */
    linkOrigin: string;
  }
}

export interface LinkOriginPolicy {
  /** When set, every link starts with it and the request's headers are never read. */
  publicBaseUrl?: string;
  /** The HOST the API listens on. */
  listenHost: string;
  /** More `host` or `host:port` values (lower case) accepted from the request. */
  allowedHosts: string[];
}

const WILDCARD_HOSTS = new Set(['', '0.0.0.0', '::', '[::]']);
const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443 };

const bracketed = (host: string) => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);

/**
 * Where links point. From PUBLIC_BASE_URL if set; otherwise from the request's host (the Host
 * header, or X-Forwarded-Host and -Proto only when `trust proxy` names the proxy) when that host
 * is allowed: listed in ALLOWED_HOSTS, or the listen host or a localhost form on the port the
 * request came in on. Anything else (a forged or odd Host) gets the listen address instead, so no
 * header can put a foreign origin or a `javascript:` URL into a response.
 */
export function linkOrigin(policy: LinkOriginPolicy): RequestHandler {
  const fixed = policy.publicBaseUrl?.replace(/\/+$/, '');
  const listenHost = WILDCARD_HOSTS.has(policy.listenHost) ? '127.0.0.1' : bracketed(policy.listenHost.toLowerCase());
  const localNames = new Set([listenHost, 'localhost', '127.0.0.1', '[::1]']);
  const allowed = new Set(policy.allowedHosts);

  const isAllowed = (host: string, protocol: string, localPort: number): boolean => {
    if (allowed.has(host)) return true;
    const [, name, port] = /^(.*?)(?::(\d+))?$/.exec(host)!;
    return localNames.has(name!) && (port === undefined ? DEFAULT_PORTS[protocol] === localPort : Number(port) === localPort);
  };

  return (req: Request, _res: Response, next: NextFunction) => {
    if (fixed) {
      req.linkOrigin = fixed;
      return next();
    }
    const localPort = req.socket.localPort ?? 0;
    const protocol = req.protocol === 'https' ? 'https' : 'http';
    const host = (req.host ?? '').toLowerCase();
    req.linkOrigin =
      HOST_ENTRY.test(host) && isAllowed(host, protocol, localPort) ? `${protocol}://${host}` : `http://${listenHost}:${localPort}`;
    next();
  };
}
