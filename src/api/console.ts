import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import express, { type RequestHandler, type Router } from 'express';
import helmet from 'helmet';
import { z } from 'zod';
import { issueToken, type AuthSettings } from '../auth/claims';
import { jsonBody } from './middleware/json-body';
import { parseInput } from './validate';

export interface ConsoleOptions {
  temporalUiUrl: string;
  temporalNamespace: string;
  /** Mounts POST /console/dev/token (npm start only; refused by the configuration in production). */
  devSignIn: boolean;
}

/** The console's own files: plain ES modules, no build step (console/ at the repository's root). */
const CONSOLE_DIR = join(__dirname, '..', '..', 'console');

/** Where the pinned front-end libraries are served from (their own package folders in node_modules). */
const VENDOR = {
  preact: dirname(require.resolve('preact/package.json')),
  // htm exports no ./package.json: its main file is dist/htm.js.
  htm: dirname(dirname(require.resolve('htm'))),
};

const IMPORT_MAP = JSON.stringify({
  imports: {
    preact: '/console/vendor/preact/dist/preact.mjs',
    'preact/hooks': '/console/vendor/preact/hooks/dist/hooks.mjs',
    htm: '/console/vendor/htm/dist/htm.module.js',
  },
});

const DevTokenRequestSchema = z.strictObject({
  tenant: z.string().trim().min(1).max(200).regex(/^[^\p{Cc}]*$/u, 'has a control character'),
  user: z.string().trim().min(1).max(200).regex(/^[^\p{Cc}]*$/u, 'has a control character'),
  email: z.email().max(320).optional(),
  admin: z.boolean().default(false),
});

/** The page's CSP: its own scripts and styles, the import map by its hash, the API on the same origin. */
function consoleContentSecurityPolicy(importMap: string): RequestHandler {
  return helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", `'sha256-${createHash('sha256').update(importMap).digest('base64')}'`],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
    },
  });
}

const escapeAttribute = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * The web console at /console, for people: a single page over the public REST API (it holds the
 * token in the browser, never a cookie). `GET /` leads there.
 */
export function consoleRouter(options: ConsoleOptions, auth: AuthSettings): Router {
  const router = express.Router();
  const settings = JSON.stringify({ temporalUiUrl: options.temporalUiUrl, temporalNamespace: options.temporalNamespace, devSignIn: options.devSignIn });
  const page = readFileSync(join(CONSOLE_DIR, 'index.html'), 'utf8')
    .replace('<!--import-map-->', `<script type="importmap">${IMPORT_MAP}</script>`)
    .replace('data-settings=""', `data-settings="${escapeAttribute(settings)}"`);

  router.get('/', (_req, res) => res.redirect(302, '/console'));
  router.get(['/console', '/console/'], consoleContentSecurityPolicy(IMPORT_MAP), (_req, res) => {
    res.type('html').set('Cache-Control', 'no-cache').send(page);
  });
  const files = (dir: string) => express.static(dir, { index: false });
  router.use('/console/app', files(CONSOLE_DIR));
  router.use('/console/vendor/preact', files(VENDOR.preact));
  router.use('/console/vendor/htm', files(VENDOR.htm));

  if (options.devSignIn) {
    router.post('/console/dev/token', jsonBody(), (req, res) => {
      const request = parseInput(DevTokenRequestSchema, req.body ?? {});
      const ttlSeconds = Math.min(12 * 3600, auth.maxLifetimeSeconds);
      const token = issueToken(
        { tenant: request.tenant, userId: request.user, userName: request.user, email: request.email, roles: request.admin ? ['TenantAdmin'] : [] },
        auth,
        ttlSeconds,
      );
      res.json({ token, expiresInSeconds: ttlSeconds });
    });
  }
  return router;
}
