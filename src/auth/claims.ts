import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { SINGLE_LINE_PATTERN } from '../sharing-tasks/schemas/text';

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

/** Claims end up in queries and in stored tasks: NUL and control characters are refused as in any request string. */
const claim = () => z.string().regex(SINGLE_LINE_PATTERN);

const ClaimsSchema = z.object({
  tenantId: claim().min(1),
  sub: claim().min(1),
  name: claim().optional(),
  email: claim().optional(),
  timezone: claim().optional(),
  roles: z.array(claim()).default([]),
});

export interface AuthSettings {
  jwtSecret: string;
  issuer?: string;
  audience?: string;
}

export function isAdmin(caller: Caller): boolean {
  return caller.roles.some((role) => (ROLES as readonly string[]).includes(role));
}

export function isTenantAdmin(caller: Caller): boolean {
  return caller.roles.includes('TenantAdmin');
}

/** Verifies an HS256 token and returns its caller, or a reason it is not accepted. */
export function verifyToken(token: string, settings: AuthSettings): { caller: Caller } | { reason: string } {
  let payload: unknown;
  try {
    payload = jwt.verify(token, settings.jwtSecret, {
      algorithms: ['HS256'],
      ...(settings.issuer ? { issuer: settings.issuer } : {}),
      ...(settings.audience ? { audience: settings.audience } : {}),
    });
  } catch (error) {
    return { reason: `invalid token: ${(error as Error).message}` };
  }
  const claims = ClaimsSchema.safeParse(payload);
  if (!claims.success) return { reason: `token lacks claim ${claims.error.issues[0]?.path.join('.')}` };
  const { tenantId, sub, name, email, timezone, roles } = claims.data;
  return { caller: { tenant: tenantId, userId: sub, userName: name, email, timezone, roles } };
}

export function issueToken(caller: Caller, settings: AuthSettings, expiresIn: jwt.SignOptions['expiresIn'] = '12h'): string {
  return jwt.sign(
    {
      tenantId: caller.tenant,
      name: caller.userName,
      email: caller.email,
      timezone: caller.timezone,
      roles: caller.roles,
    },
    settings.jwtSecret,
    {
      algorithm: 'HS256',
      subject: caller.userId,
      expiresIn,
      ...(settings.issuer ? { issuer: settings.issuer } : {}),
      ...(settings.audience ? { audience: settings.audience } : {}),
    },
  );
}
