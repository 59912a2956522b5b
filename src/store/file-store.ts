import { GridFSBucket, type Db } from 'mongodb';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { retryWhenBusy } from './mongo';

export interface StoredFileInfo {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
  executionId: string;
}

interface FileMetadata {
  contentType: string;
  executionId: string;
  tenant: string;
}

/** Rendered report files in GridFS (bucket `reportFiles`), with deterministic ids so a retried upload is idempotent. */
export class FileStore {
  private readonly bucket: GridFSBucket;

  constructor(private readonly db: Db) {
    this.bucket = new GridFSBucket(db, { bucketName: 'reportFiles' });
  }

  async ensureIndexes(): Promise<void> {
    await this.db.collection('reportFiles.files').createIndex({ 'metadata.executionId': 1 });
  }

  async info(id: string): Promise<StoredFileInfo | undefined> {
    const [file] = await this.bucket.find({ _id: id as never }).limit(1).toArray();
    if (!file) return undefined;
    const metadata = file.metadata as FileMetadata;
    return {
      id,
      fileName: file.filename,
      contentType: metadata.contentType,
      size: file.length,
      executionId: metadata.executionId,
    };
  }

  /**
   * Stores the bytes under `id` unless a complete file with that id exists (a retry after a crash).
   * Chunks left by an upload that died half-way are removed first, unless the caller knows no
   * earlier upload of `id` can have begun (`fresh`).
   */
  async put(id: string, fileName: string, bytes: Buffer, metadata: FileMetadata, { fresh = false } = {}): Promise<StoredFileInfo> {
    if (!fresh) {
      const existing = await this.info(id);
      if (existing) return existing;
      await retryWhenBusy(() => this.db.collection('reportFiles.chunks').deleteMany({ files_id: id }));
    }
    const upload = this.bucket.openUploadStreamWithId(id as never, fileName, { metadata });
    upload.end(bytes);
    await new Promise<void>((resolve, reject) => {
      upload.once('finish', () => resolve());
      upload.once('error', reject);
    });
    return { id, fileName, contentType: metadata.contentType, size: bytes.length, executionId: metadata.executionId };
  }

  async read(id: string): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const chunk of this.bucket.openDownloadStream(id as never)) parts.push(chunk as Buffer);
    return Buffer.concat(parts);
  }

  async streamTo(id: string, destination: NodeJS.WritableStream): Promise<void> {
    await pipeline(this.bucket.openDownloadStream(id as never) as Readable, destination);
  }

  async deleteForExecutions(executionIds: string[]): Promise<void> {
    if (executionIds.length === 0) return;
    const files = await this.bucket
      .find({ 'metadata.executionId': { $in: executionIds } }, { projection: { _id: 1 } })
      .toArray();
    for (const file of files) await retryWhenBusy(() => this.bucket.delete(file._id));
  }
}
