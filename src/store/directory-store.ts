import type { Collection, Db, Filter } from 'mongodb';
import { isDuplicateKeyError, retryWhenBusy } from './mongo';

/** A user recipients can name by id: recorded from the tokens of callers, or imported by an admin. */
export interface DirectoryUser {
  tenant: string;
  id: string;
  name?: string;
  email?: string;
  /** A disabled user is skipped as a recipient (and the skip is reported). */
  enabled: boolean;
  source: 'token' | 'import';
}

export interface DirectoryGroup {
  tenant: string;
  id: string;
  name?: string;
  /** User ids. */
  members: string[];
}

type Stored<T extends { tenant: string; id: string }> = T & { _id: string; updatedAt: Date };

const keyOf = (tenant: string, id: string) => `${tenant}/${id}`;

function strip<T extends { tenant: string; id: string }>({ _id, updatedAt, ...entry }: Stored<T>): T {
  return entry as unknown as T;
}

/**
 * Last writer wins. Two concurrent upserts of a new entry can both try to insert (FerretDB's
 * upsert is read-then-write): the loser's duplicate-key error means the entry exists, so replace it.
 */
async function put<T extends { tenant: string; id: string }>(collection: Collection<Stored<T>>, entry: T, now: Date): Promise<void> {
  const _id = keyOf(entry.tenant, entry.id);
  const document = { _id, ...entry, updatedAt: now } as Stored<T>;
  const replace = (upsert: boolean) => retryWhenBusy(() => collection.replaceOne({ _id } as Filter<Stored<T>>, document, { upsert }));
  try {
    await replace(true);
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    await replace(false);
  }
}

/** The tenant's users and groups: how `userIds` and `groupIds` recipients become e-mail addresses. */
export class DirectoryStore {
  private readonly users: Collection<Stored<DirectoryUser>>;
  private readonly groups: Collection<Stored<DirectoryGroup>>;

  constructor(db: Db) {
    this.users = db.collection<Stored<DirectoryUser>>('directoryUsers');
    this.groups = db.collection<Stored<DirectoryGroup>>('directoryGroups');
  }

  putUser(user: DirectoryUser, now: Date): Promise<void> {
    return put(this.users, user, now);
  }

  putGroup(group: DirectoryGroup, now: Date): Promise<void> {
    return put(this.groups, group, now);
  }

  async findUsers(tenant: string, ids: string[]): Promise<DirectoryUser[]> {
    if (ids.length === 0) return [];
    const found = await this.users.find({ _id: { $in: ids.map((id) => keyOf(tenant, id)) } } as Filter<Stored<DirectoryUser>>).toArray();
    return found.map(strip);
  }

  async findGroups(tenant: string, ids: string[]): Promise<DirectoryGroup[]> {
    if (ids.length === 0) return [];
    const found = await this.groups.find({ _id: { $in: ids.map((id) => keyOf(tenant, id)) } } as Filter<Stored<DirectoryGroup>>).toArray();
    return found.map(strip);
  }
}
