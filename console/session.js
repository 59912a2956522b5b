// Who is signed in: the bearer token in this tab's sessionStorage (gone when the tab closes), its claims decoded for display only.

const KEY = 'sharing-tasks-console-token';

function claimsOf(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(decodeURIComponent(escape(atob(payload))));
  } catch {
    return undefined;
  }
}

export function createSession(onChange) {
  let token = sessionStorage.getItem(KEY) ?? undefined;
  let notice;
  const change = () => onChange();
  return {
    token: () => token,
    claims: () => (token ? claimsOf(token) : undefined),
    isAdmin() {
      const roles = this.claims()?.roles ?? [];
      return roles.includes('TenantAdmin') || roles.includes('AnalyticsAdmin');
    },
    isTenantAdmin: function () {
      return (this.claims()?.roles ?? []).includes('TenantAdmin');
    },
    /** The reason the last session ended (an expired token), shown on the sign-in form. */
    notice: () => notice,
    signIn(value) {
      const claims = claimsOf(value);
      if (!claims?.tenantId || !claims?.sub) return 'this is not a token of this service (no tenantId and sub claims)';
      if (claims.exp && claims.exp * 1000 < Date.now()) return `this token expired at ${new Date(claims.exp * 1000).toLocaleString()}`;
      token = value;
      notice = undefined;
      sessionStorage.setItem(KEY, value);
      change();
      return undefined;
    },
    signOut(reason) {
      token = undefined;
      notice = reason;
      sessionStorage.removeItem(KEY);
      change();
    },
    expired(detail) {
      if (token) this.signOut(`Signed out: the API refused the token${detail ? ` (${detail})` : ''}.`);
    },
  };
}
