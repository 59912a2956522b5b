/**
 * WHAT-IF, loaded only into a benchmark's worker process (see worker-entry.ts), never by the
 * service: the two collection scans left on a run's path are skipped, to price making them cheap.
 * - Retention (`ExecutionStore.runsNewestFirst`, filter `{ tenant, sharingTaskId }`) scans every
 *   execution on FerretDB v1; here it finds nothing to prune, as it would if retention ran only
 *   when a task can have more than `historySize` executions (e.g. a counter on the task).
 * - `FileStore.put` first deletes chunks a crashed upload may have left (`{ files_id }`, a scan of
 *   every chunk); here it does not, as it would if that clean-up ran only on a retried attempt.
 * An upper bound on the gain: in a due burst every task has one execution, so nothing is lost.
 */
import type { GridFSBucket } from 'mongodb';
import { ExecutionStore } from '../../src/store/execution-store';
import { FileStore } from '../../src/store/file-store';

ExecutionStore.prototype.runsNewestFirst = async function runsNewestFirst(): ReturnType<ExecutionStore['runsNewestFirst']> {
  return [];
};

type Put = FileStore['put'];

FileStore.prototype.put = async function put(this: FileStore, ...[id, fileName, bytes, metadata]: Parameters<Put>): ReturnType<Put> {
  const existing = await this.info(id);
  if (existing) return existing;
  const bucket = (this as unknown as { bucket: GridFSBucket }).bucket;
  const upload = bucket.openUploadStreamWithId(id as never, fileName, { metadata });
  upload.end(bytes);
  await new Promise<void>((resolve, reject) => {
    upload.once('finish', () => resolve());
    upload.once('error', reject);
  });
  return { id, fileName, contentType: metadata.contentType, size: bytes.length, executionId: metadata.executionId };
};

process.stderr.write('bench what-if loaded: no retention scan, no chunk clean-up before an upload\n');
