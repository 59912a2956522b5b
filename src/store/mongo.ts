import {
  MongoClient,
  MongoNetworkError,
  MongoOperationTimeoutError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
  type Collection,
  type Db,
  type Document,
  type IndexDescription,
  type IndexSpecification,
} from 'mongodb';

export interface MongoSettings {
  uri: string;
  dbName: string;
  maxPoolSize: number;
  /**
   * How long an operation waits for a reachable server before it fails. With the database down,
   * every request waits this long: short, so the API answers 503 quickly instead of holding requests.
   */
  serverSelectionTimeoutMs?: number;
}

const FIRST_CONNECT_RETRY_MS = 1_000;

/**
 * The driver gives up on a client whose first connection fails: its topology stays closed and every
 * later operation fails at once (MongoTopologyClosedError), even once the server is back. So this
 * client keeps connecting in the background until it is connected once, or closed; after that the
 * driver's own monitoring rides out outages.
 */
class ConnectingMongoClient extends MongoClient {
  private closed = false;

  connectUntilConnected(): void {
    this.connect().catch(() => {
      if (!this.closed) setTimeout(() => this.connectUntilConnected(), FIRST_CONNECT_RETRY_MS).unref();
    });
  }

  override async close(force?: boolean): Promise<void> {
    this.closed = true;
    await super.close(force);
  }
}

/** A client that connects in the background, so a process can start (and say it is not ready) while the database is down. */
export function createMongo(settings: MongoSettings): { client: MongoClient; db: Db } {
  const client = new ConnectingMongoClient(settings.uri, {
    maxPoolSize: settings.maxPoolSize,
    serverSelectionTimeoutMS: settings.serverSelectionTimeoutMs ?? 2_000,
    connectTimeoutMS: 5_000,
    appName: 'sharing-tasks',
  });
  client.connectUntilConnected();
  return { client, db: client.db(settings.dbName) };
}

/**
 * The database could not be reached or dropped the connection: no server to select, a network
 * failure or timeout (a cleared pool is one too), a first connection still being retried. Worth a
 * retry later, unlike a server's answer.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return [MongoServerSelectionError, MongoNetworkError, MongoOperationTimeoutError, MongoTopologyClosedError].some((type) => error instanceof type);
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
