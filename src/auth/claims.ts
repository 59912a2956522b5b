import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { z } from 'zod';

export const ROLES = ['TenantAdmin', 'AnalyticsAdmin'] as const;

/** Who calls: read from the verified token, never from the request body. */
export interface Caller {
  tenant: string;
  userId: string;
  userName?: string;
  email?: string;
  timezone?: string;
  roles: string[];
}

/** Claims end up in database keys and queries: no control characters (NUL included), bounded length. */
const claimText = (max: number) => z.string().max(max).regex(/^[^\p{Cc}]*$/u, 'has a control character');

const ClaimsSchema = z.object({
  tenantId: claimText(200).min(1),
  sub: claimText(200).min(1),
  name: claimText(500).optional(),
  email: claimText(320).optional(),
  timezone: claimText(100).optional(),
  roles: z.array(claimText(100)).max(50).default([]),
});

/** The registered claims that bound a token's life (seconds since the epoch), checked after the signature. */
const TimeClaimsSchema = z.object({
  exp: z.number().optional(),
  iat: z.number().optional(),
  nbf: z.number().optional(),
});

export interface AuthSettings {
  jwtSecret: string;
  issuer?: string;
  audience?: string;
  /** The longest life a token may have: `exp - iat` (or `exp - now` without `iat`). */
  maxLifetimeSeconds: number;
  /** Tolerance for clocks that disagree, on `exp`, `nbf` and `iat`. */
  clockSkewSeconds: number;
}

export function isAdmin(caller: Caller): boolean {
  return caller.roles.some((role) => (ROLES as readonly string[]).includes(role));
}

export function isTenantAdmin(caller: Caller): boolean {
  return caller.roles.includes('TenantAdmin');
}

const isoOf = (seconds: number) => new Date(seconds * 1000).toISOString();

/** What jsonwebtoken refused, said as the client needs to hear it. */
function rejection(error: unknown, settings: AuthSettings): string {
  if (error instanceof jwt.TokenExpiredError) return `token expired at ${error.expiredAt.toISOString()}`;
  if (error instanceof jwt.NotBeforeError) return `token is not valid before ${error.date.toISOString()} (nbf)`;
  const message = (error as Error).message;
  if (message.startsWith('jwt issuer invalid')) return `token issuer (iss) is not ${JSON.stringify(settings.issuer)}`;
  if (message.startsWith('jwt audience invalid')) return `token audience (aud) is not ${JSON.stringify(settings.audience)}`;
  return `invalid token: ${message}`;
}

/** exp is required, iat may not lie in the future, and the whole life is bounded, so a leaked token does not work for ever. */
function lifetimeProblem(payload: z.infer<typeof TimeClaimsSchema>, settings: AuthSettings, nowSeconds: number): string | undefined {
  const { exp, iat } = payload;
  const skew = settings.clockSkewSeconds;
  if (exp === undefined) return 'token has no exp claim: tokens must expire';
  if (iat !== undefined && iat > nowSeconds + skew) return `token iat ${isoOf(iat)} is in the future (allowed clock skew ${skew} s)`;
  const lifetime = iat !== undefined ? exp - iat : exp - nowSeconds - skew;
  if (lifetime > settings.maxLifetimeSeconds) {
    return `token lifetime of ${Math.round(lifetime)} s (exp - ${iat !== undefined ? 'iat' : 'now'}) is over the maximum of ${settings.maxLifetimeSeconds} s`;
  }
  return undefined;
}

let cachedKey: { secret: string; key: KeyObject } | undefined;

/**
 * The HS256 key of `secret`, made once. Given the secret as a string, jsonwebtoken first tries it
 * as a PEM public key on every call (OpenSSL's decoders, then an exception) before it falls back
 * to a secret key: 0.9 to 1.3 ms of CPU per request on the 2-core bench machine, against 0.03 to
 * 0.1 ms with a KeyObject (bench/README.md, "API under load").
 */
export function signingKey(secret: string): KeyObject {
  if (cachedKey?.secret !== secret) cachedKey = { secret, key: createSecretKey(Buffer.from(secret, 'utf8')) };
  return cachedKey.key;
}

/** Verifies an HS256 token and returns its caller, or a reason it is not accepted. */
export function verifyToken(token: string, settings: AuthSettings, now: Date = new Date()): { caller: Caller } | { reason: string } {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  let payload: unknown;
  try {
    payload = jwt.verify(token, signingKey(settings.jwtSecret), {
      algorithms: ['HS256'],
      clockTimestamp: nowSeconds,
      clockTolerance: settings.clockSkewSeconds,
      ...(settings.issuer ? { issuer: settings.issuer } : {}),
      ...(settings.audience ? { audience: settings.audience } : {}),
    });
  } catch (error) {
    return { reason: rejection(error, settings) };
  }
  if (typeof payload !== 'object' || payload === null) return { reason: 'invalid token: its payload is not a JSON object of claims' };
  const times = TimeClaimsSchema.safeParse(payload);
  if (!times.success) return { reason: `token claim ${times.error.issues[0]?.path.join('.')} is not a number of seconds` };
  const problem = lifetimeProblem(times.data, settings, nowSeconds);
  if (problem) return { reason: problem };
  const claims = ClaimsSchema.safeParse(payload);
  if (!claims.success) {
    const issue = claims.error.issues[0];
    return { reason: `token claim ${issue?.path.join('.')} is missing or invalid${issue?.message ? `: ${issue.message}` : ''}` };
  }
  const { tenantId, sub, name, email, timezone, roles } = claims.data;
  return { caller: { tenant: tenantId, userId: sub, userName: name, email, timezone, roles } };
}

/** A token for this caller that lives `ttlSeconds` (with iat and exp). */
export function issueToken(caller: Caller, settings: Omit<AuthSettings, 'maxLifetimeSeconds' | 'clockSkewSeconds'>, ttlSeconds = 3600): string {
  return jwt.sign(
    {
      tenantId: caller.tenant,
      name: caller.userName,
      email: caller.email,
      timezone: caller.timezone,
      roles: caller.roles,
    },
    signingKey(settings.jwtSecret),
    {
      algorithm: 'HS256',
      subject: caller.userId,
      expiresIn: ttlSeconds,
      ...(settings.issuer ? { issuer: settings.issuer } : {}),
      ...(settings.audience ? { audience: settings.audience } : {}),
    },
  );
}
