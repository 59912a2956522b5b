import { FileLinkSigner, type SignedFile } from '../auth/file-link-signature';
import type { ExecutionRecord } from '../sharing-tasks/execution-record';
import type { ExecutionFile } from '../sharing-tasks/schemas';

/** The public path of signed file links (served by src/api/signed-files.ts, no token needed). */
export const SIGNED_FILE_ROUTE = '/files/:tenant/:taskId/:executionId/:fileAlias';

/** The file a run's file is, as a signed link names it. */
export function signedFileOf(execution: Pick<ExecutionRecord, 'tenant' | 'sharingTaskId' | 'id'>, file: Pick<ExecutionFile, 'fileAlias'>): SignedFile {
  return { tenant: execution.tenant, taskId: execution.sharingTaskId, executionId: execution.id, fileAlias: file.fileAlias };
}

/**
 * The addresses e-mails give for a run's files: signed and expiring, so a recipient opens the file
 * without a token (the API's own file endpoint needs one).
 */
export class FileLinks {
  constructor(
    private readonly publicBaseUrl: string,
    private readonly signer: FileLinkSigner,
  ) {}

  url(execution: ExecutionRecord, file: ExecutionFile, now: Date): string {
    const signed = signedFileOf(execution, file);
    const { expires, signature } = this.signer.sign(signed, now);
    const path = [signed.tenant, signed.taskId, signed.executionId, signed.fileAlias].map(encodeURIComponent).join('/');
    return `${this.publicBaseUrl.replace(/\/+$/, '')}/files/${path}?expires=${expires}&signature=${signature}`;
  }
}
