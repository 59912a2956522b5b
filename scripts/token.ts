/**
 * Prints a bearer token the running API accepts (signed with JWT_SECRET from the same configuration).
 *   npm run --silent token -- --tenant acme --user alice [--name "Alice"] [--email alice@example.com] [--admin] [--timezone Europe/Paris]
 */
import { parseArgs } from 'node:util';
import { issueToken } from '../src/auth/claims';
import { ConfigError, loadConfig } from '../src/config';

function main(): void {
  const { values } = parseArgs({
    options: {
      tenant: { type: 'string' },
      user: { type: 'string' },
      name: { type: 'string' },
      email: { type: 'string' },
      timezone: { type: 'string' },
      admin: { type: 'boolean', default: false },
      expires: { type: 'string', default: '12h' },
    },
  });
  if (!values.tenant || !values.user) {
    console.error('usage: npm run --silent token -- --tenant T --user U [--name N] [--email E] [--timezone Z] [--admin]');
    process.exit(2);
  }
  const config = loadConfig();
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
    values.expires as `${number}h`,
  );
  console.log(token);
}

try {
  main();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : String(error));
  process.exit(1);
}
