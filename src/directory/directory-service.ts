import { z } from 'zod';
import type { Caller } from '../auth/claims';
import type { Clock } from '../clock';
import type { DirectoryStore } from '../store';

/** The file an admin imports: the tenant's users and groups (ids as recipients name them). */
export const DirectoryFileSchema = z.strictObject({
  users: z
    .array(
      z.strictObject({
        id: z.string().min(1),
        name: z.string().optional(),
        email: z.email().optional(),
        enabled: z.boolean().default(true),
      }),
    )
    .default([]),
  groups: z
    .array(z.strictObject({ id: z.string().min(1), name: z.string().optional(), members: z.array(z.string().min(1)) }))
    .default([]),
});
export type DirectoryFile = z.infer<typeof DirectoryFileSchema>;

/** Callers already recorded by this process, so a busy user costs one write per profile change, not per request. */
const RECORDED_LIMIT = 10_000;

/** Who `userIds` and `groupIds` recipients are: learned from callers' tokens, or imported from a file. */
export class DirectoryService {
  private readonly recorded = new Set<string>();

  constructor(
    private readonly directory: DirectoryStore,
    private readonly clock: Clock,
  ) {}

  /** Records the caller as a user of the tenant, with the name and e-mail their token claims. */
  async recordCaller(caller: Caller): Promise<void> {
    const fingerprint = JSON.stringify([caller.tenant, caller.userId, caller.userName, caller.email]);
    if (this.recorded.has(fingerprint)) return;
    await this.directory.putUser(
      { tenant: caller.tenant, id: caller.userId, name: caller.userName, email: caller.email, enabled: true, source: 'token' },
      this.clock.now(),
    );
    if (this.recorded.size >= RECORDED_LIMIT) this.recorded.clear();
    this.recorded.add(fingerprint);
  }

  async import(tenant: string, file: DirectoryFile): Promise<{ users: number; groups: number }> {
    const now = this.clock.now();
    for (const user of file.users) await this.directory.putUser({ tenant, ...user, source: 'import' }, now);
    for (const group of file.groups) await this.directory.putGroup({ tenant, ...group }, now);
    return { users: file.users.length, groups: file.groups.length };
  }
}
