import { MongoClient, MongoServerError, type Collection, type Db, type Document, type IndexDescription, type IndexSpecification } from 'mongodb';

export interface MongoSettings {
  uri: string;
  dbName: string;
  maxPoolSize: number;
}

/** A client that connects on first use, so a process can start (and say it is not ready) while the database is down. */
export function createMongo(settings: MongoSettings): { client: MongoClient; db: Db } {
  const client = new MongoClient(settings.uri, {
    maxPoolSize: settings.maxPoolSize,
    serverSelectionTimeoutMS: 5_000,
    connectTimeoutMS: 5_000,
    appName: 'sharing-tasks',
  });
  return { client, db: client.db(settings.dbName) };
}

export function isDuplicateKeyError(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === 11000;
}

/** FerretDB on SQLite answers `database is locked` under concurrent writers: such a write is safe to retry. */
function isBusyError(error: unknown): boolean {
  return error instanceof Error && /SQLITE_BUSY|database is locked/i.test(error.message);
}

/**
 * Runs a write, retrying with jittered backoff while the database reports itself busy.
 * Any other error (including a duplicate key, which is an answer, not a fault) is thrown at once.
 */
export async function retryWhenBusy<T>(write: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!isBusyError(error) || attempt >= attempts) throw error;
      const delayMs = Math.min(1_000, 10 * 2 ** attempt) * (0.5 + Math.random() / 2);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

/**
 * Creates indexes one request each: FerretDB v1.24 drops the connection when one createIndexes
 * request lists several indexes that all exist already (a second start of the service).
 */
export async function createIndexesOneByOne<T extends Document>(collection: Collection<T>, specs: IndexDescription[]): Promise<void> {
  for (const { key, ...options } of specs) await collection.createIndex(key as IndexSpecification, options);
}
