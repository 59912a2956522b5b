/**
 * Imports a tenant's users and groups (recipients by `userIds`/`groupIds`) into MongoDB.
 *   npm run --silent directory:import -- --tenant acme --file directory.json
 * The file: {"users": [{"id", "name"?, "email"?, "enabled"?}], "groups": [{"id", "name"?, "members": [userId]}]}.
 * Entries replace those with the same id; nothing else is removed.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { systemClock } from '../src/clock';
import { ConfigError, loadConfig } from '../src/config';
import { DirectoryFileSchema, DirectoryService } from '../src/directory/directory-service';
import { createMongo, createStores } from '../src/store';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { tenant: { type: 'string' }, file: { type: 'string' } } });
  if (!values.tenant || !values.file) {
    console.error('usage: npm run --silent directory:import -- --tenant T --file directory.json');
    process.exit(2);
  }
  const parsed = DirectoryFileSchema.safeParse(JSON.parse(readFileSync(values.file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    console.error(`${values.file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    process.exit(1);
  }
  const { client, db } = createMongo(loadConfig().mongo);
  try {
    const counts = await new DirectoryService(createStores(db).directory, systemClock).import(values.tenant, parsed.data);
    console.log(`imported ${counts.users} users and ${counts.groups} groups into tenant ${values.tenant}`);
  } finally {
    await client.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : String(error));
  process.exit(1);
});
