import { failureOf, property, stringProperty, transientFailure } from './graph-errors';
import type { GraphHttp } from './graph-http';

export interface ClientCredentials {
  authorityUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  scope: string;
}

/** Entra ID tokens last about an hour; renewing this long before expiry covers clock skew and slow uploads. */
const RENEWAL_MARGIN_MS = 5 * 60_000;

/** OAuth2 client-credentials access tokens, requested once and reused until shortly before they expire. */
export class AccessTokenCache {
  private current?: { token: string; renewAt: number };
  private pending?: Promise<string>;

  constructor(
    private readonly credentials: ClientCredentials,
    private readonly http: GraphHttp,
    private readonly now: () => number = Date.now,
  ) {}

  /** A token valid for a while yet; concurrent callers share one token request. */
  async get(): Promise<string> {
    if (this.current && this.now() < this.current.renewAt) return this.current.token;
    this.pending ??= this.request().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** Drops `token` after Graph refused it, unless a newer token has replaced it meanwhile. */
  invalidate(token: string): void {
    if (this.current?.token === token) this.current = undefined;
  }

  private async request(): Promise<string> {
    const { authorityUrl, tenantId, clientId, clientSecret, scope } = this.credentials;
    const requestedAt = this.now();
    const response = await this.http.send(
      `${authorityUrl}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope }).toString(),
      },
      'token request',
    );
    if (response.status !== 200) throw failureOf(response, 'token request');
    const token = stringProperty(response.body, 'access_token');
    // expires_in is a number from the v2.0 endpoint, but some proxies and older endpoints send a string.
    const lifetimeMs = Number(property(response.body, 'expires_in')) * 1000;
    if (!token || !(lifetimeMs > 0)) throw transientFailure('token request failed: the response has no access_token or expires_in');
    this.current = { token, renewAt: requestedAt + lifetimeMs - Math.min(RENEWAL_MARGIN_MS, lifetimeMs / 2) };
    return token;
  }
}
