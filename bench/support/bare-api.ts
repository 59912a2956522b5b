/**
 * The comparator of bench/api-load.ts: Express 5 and the mongodb driver answering the same four
 * routes on the same database with the least a correct server must do. Both sides verify the JWT
 * (jsonwebtoken, HS256, the key made once) and scope every read to the caller's tenant. Per route:
 * - get one: the task by `_id` (tenant checked, as the store does), its latest execution;
 * - list a page: the caller's visible tasks of the tenant (the service's filter), the count, the
 *   latest execution of each task of the page;
 * - create: the body with its owner and dates inserted (FerretDB's nested-array wrapping included);
 * - patch: the task read (owner checked), the replaced fields written.
 * With `withWorkflow`, create also starts and patch also signals the task's workflow through the
 * service's own TaskWorkflows: the Temporal round trip the real routes make, without the rest.
 * No rate limiter, security headers, request log, settings read, directory write or zod parse.
 */
import { createSecretKey, type KeyObject } from 'node:crypto';
import type { Server } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import jwt from 'jsonwebtoken';
import { ObjectId, type Db, type Document } from 'mongodb';
import type { SharingTask } from '../../src/sharing-tasks/schemas';
import { fromStorage, toStorage } from '../../src/store/codec';
import { SHARING_TASKS_COLLECTION } from '../../src/store/sharing-task-store';
import type { TaskWorkflows } from '../../src/temporal/task-workflows';

interface BareCaller {
  tenant: string;
  userId: string;
  email?: string;
}

type TaskDocument = Document & { _id: string };

export interface BareApiOptions {
  db: Db;
  jwtSecret: string;
  /** Present: create starts and patch signals the task's workflow. */
  workflows?: TaskWorkflows;
  host: string;
}

const callers = new WeakMap<Request, BareCaller>();

function authenticate(secret: KeyObject) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const token = /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '')?.[1];
    try {
      const claims = jwt.verify(token ?? '', secret, { algorithms: ['HS256'] }) as jwt.JwtPayload;
      callers.set(req, { tenant: String(claims.tenantId), userId: String(claims.sub), email: claims.email as string | undefined });
      next();
    } catch {
      res.status(401).json({ errors: [{ status: '401', title: 'Unauthorized' }] });
    }
  };
}

function taskJson(doc: TaskDocument, base: string, latest?: { _id: string; files?: { fileAlias: string }[] }): Record<string, unknown> {
  const { _id, recipientEmails: _matching, ...rest } = fromStorage(doc);
  const self = `${base}/sharing-tasks/${_id}`;
  return {
    id: _id,
    ...rest,
    links: { self: { href: self } },
    latestExecutionURL: `${self}/executions/latest`,
    latestExecutionFilesURL: (latest?.files ?? []).map((file) => `${self}/executions/${latest!._id}/files/${file.fileAlias}`),
  };
}

export async function startBareApi(options: BareApiOptions): Promise<{ server: Server; url: string }> {
  const tasks = options.db.collection<TaskDocument>(SHARING_TASKS_COLLECTION);
  const executions = options.db.collection<Document & { _id: string }>('executions');
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '1mb' }));
  app.use('/api/v1', authenticate(createSecretKey(Buffer.from(options.jwtSecret, 'utf8'))));
  const base = (req: Request) => `${req.protocol}://${req.host}/api/v1`;
  const caller = (req: Request) => callers.get(req)!;
  const notFound = (res: Response) => res.status(404).json({ errors: [{ status: '404', title: 'Not Found' }] });

  app.get('/api/v1/sharing-tasks/:id', async (req, res) => {
    const { tenant } = caller(req);
    const doc = await tasks.findOne({ _id: req.params.id });
    if (!doc || doc.tenant !== tenant) return notFound(res);
    const [latest] = await executions.find({ tenant, sharingTaskId: doc._id }).sort({ startTime: -1, _id: -1 }).limit(1).toArray();
    res.json(taskJson(doc, base(req), latest as never));
  });

  app.get('/api/v1/sharing-tasks', async (req, res) => {
    const { tenant, userId, email } = caller(req);
    const limit = Math.min(Number(req.query.limit ?? 20) || 20, 100);
    const any: Document[] = [{ owner: userId }, { 'recipients.userIds.value': userId }];
    if (email) any.push({ recipientEmails: email.toLowerCase() });
    const query = { tenant, $or: any };
    const [docs, totalCount] = await Promise.all([
      tasks.find(query).sort({ dateCreated: -1, _id: 1 }).limit(limit).toArray(),
      tasks.countDocuments(query),
    ]);
    const latest = new Map<string, { _id: string; files?: { fileAlias: string }[] }>();
    const runs = executions.find({ tenant, sharingTaskId: { $in: docs.map((doc) => doc._id) } }, { projection: { sharingTaskId: 1, startTime: 1, files: 1 } });
    for await (const run of runs.sort({ startTime: -1, _id: -1 })) if (!latest.has(run.sharingTaskId)) latest.set(run.sharingTaskId, run as never);
    res.json({ sharingTasks: docs.map((doc) => taskJson(doc, base(req), latest.get(doc._id))), totalCount, currentPageCount: docs.length });
  });

  app.post('/api/v1/sharing-tasks', async (req, res) => {
    const { tenant, userId, email } = caller(req);
    const now = new Date().toISOString();
    const body = req.body as Record<string, unknown>;
    const doc: TaskDocument = {
      ...body,
      _id: new ObjectId().toHexString(),
      tenant,
      owner: userId,
      ownerName: userId,
      enabledByUser: true,
      enabledBySystem: true,
      statusCode: 'OK',
      dateCreated: now,
      lastUpdated: now,
      recipientEmails: email ? [email.toLowerCase()] : [],
    };
    await tasks.insertOne(toStorage(doc));
    if (options.workflows) await options.workflows.start({ id: doc._id, ...doc } as unknown as SharingTask);
    res.status(201).location(`${base(req)}/sharing-tasks/${doc._id}`).json(taskJson(doc, base(req)));
  });

  app.patch('/api/v1/sharing-tasks/:id', async (req, res) => {
    const { tenant, userId } = caller(req);
    const doc = await tasks.findOne({ _id: req.params.id });
    if (!doc || doc.tenant !== tenant || doc.owner !== userId) return notFound(res);
    const set: Record<string, unknown> = { lastUpdated: new Date().toISOString(), updatedBy: userId };
    for (const op of req.body as { op: string; path: string; value: unknown }[]) {
      if (op.op === 'replace') set[op.path.slice(1).replaceAll('/', '.')] = op.value;
    }
    await tasks.updateOne({ _id: doc._id }, { $set: toStorage(set) });
    if (options.workflows) await options.workflows.taskUpdated({ id: doc._id, ...fromStorage(doc), ...set } as unknown as SharingTask);
    res.status(204).end();
  });

  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(0, options.host, () => resolve(listening));
    listening.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { server, url: `http://${options.host}:${port}` };
}
