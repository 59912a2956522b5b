import { Router } from 'express';
import { z } from 'zod';
import type { FileLinkSigner } from '../auth/file-link-signature';
import type { ExecutionService } from '../sharing-tasks/execution-service';
import { SIGNED_FILE_ROUTE } from '../runs/file-links';
import { sendHtmlNotice } from './html-notice';

const LinkQuerySchema = z.object({
  expires: z.string().regex(/^\d{1,12}$/).transform(Number),
  signature: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/),
});

const TAMPERED = [
  'The address of this file is incomplete or was changed, so it cannot be opened.',
  'Open the link from the e-mail again, exactly as it was sent (some mail programs break long links).',
];

/**
 * The links in e-mails: a run's file opened without a token through a signed, expiring URL
 * (src/auth/file-link-signature.ts). Each way it can fail is a page a person understands.
 */
export function signedFileRoutes({ signer, executions }: { signer: FileLinkSigner; executions: ExecutionService }): Router {
  const router = Router();
  router.get(SIGNED_FILE_ROUTE, async (req, res) => {
    const { tenant, taskId, executionId, fileAlias } = req.params as Record<string, string>;
    const file = { tenant, taskId, executionId, fileAlias };
    const query = LinkQuerySchema.safeParse(req.query);
    if (!query.success) return sendHtmlNotice(res, 403, 'This link is not valid', TAMPERED);
    const check = signer.check(file, query.data.expires, query.data.signature, new Date());
    if (check === 'tampered') return sendHtmlNotice(res, 403, 'This link is not valid', TAMPERED);
    if (check === 'expired') {
      const at = new Date(query.data.expires * 1000).toUTCString();
      return sendHtmlNotice(res, 410, 'This link has expired', [
        `Links in report e-mails open their file for a limited time; this one expired on ${at}.`,
        'The file is attached to the e-mail itself, or ask the sender for a new report.',
      ]);
    }
    const stored = await executions.fileOfSignedLink(file);
    if (!stored) {
      return sendHtmlNotice(res, 410, 'This report is no longer kept', [
        'The run that produced this file was removed: each sharing task keeps only its latest runs (its retention policy), or the task was deleted.',
        'The file is attached to the e-mail itself, or ask the sender for a newer report.',
      ]);
    }
    res.setHeader('Content-Type', stored.contentType);
    res.setHeader('Content-Length', String(stored.size));
    res.attachment(stored.fileName);
    await executions.streamFile(stored, res);
  });
  return router;
}
