/**
 * Prints a bearer token the running API accepts (signed with JWT_SECRET from the same configuration).
 *   npm run --silent token -- --tenant acme --user alice [--name "Alice"] [--email alice@example.com] [--admin] [--timezone Europe/Paris] [--ttl 12h]
 */
import { parseArgs } from 'node:util';
import { issueToken } from '../src/auth/claims';
import { ConfigError, loadConfig } from '../src/config';

const USAGE = 'usage: npm run --silent token -- --tenant T --user U [--name N] [--email E] [--timezone Z] [--admin] [--ttl 12h|90m|3600s|3600]';
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `12h`, `90m`, `3600s`, `1d` or a number of seconds. */
function ttlSeconds(ttl: string): number | undefined {
  const match = /^(\d+)([smhd]?)$/.exec(ttl.trim());
  return match ? Number(match[1]) * UNIT_SECONDS[match[2] || 's']! : undefined;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      tenant: { type: 'string' },
      user: { type: 'string' },
      name: { type: 'string' },
      email: { type: 'string' },
      timezone: { type: 'string' },
      admin: { type: 'boolean', default: false },
      ttl: { type: 'string', default: '12h' },
    },
  });
  const ttl = ttlSeconds(values.ttl);
  if (!values.tenant || !values.user || !ttl) {
    console.error(USAGE);
    process.exit(2);
  }
  const config = loadConfig();
  if (ttl > config.auth.maxLifetimeSeconds) {
    console.error(`--ttl ${values.ttl} is longer than the API accepts: JWT_MAX_LIFETIME_SECONDS=${config.auth.maxLifetimeSeconds}`);
    process.exit(2);
  }
  const token = issueToken(
    {
      tenant: values.tenant,
      userId: values.user,
      userName: values.name ?? values.user,
      email: values.email,
      timezone: values.timezone,
      roles: values.admin ? ['TenantAdmin'] : [],
    },
    config.auth,
    ttl,
  );
  console.log(token);
}

try {
  main();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : String(error));
  process.exit(1);
}
