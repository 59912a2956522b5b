import { dirname } from 'node:path';
import express, { type Router } from 'express';
import { docsContentSecurityPolicy } from './middleware/security-headers';

/**
 * The human-readable API reference: Swagger UI (swagger-ui-dist, served from node_modules, no
 * CDN) rendering the OpenAPI document next to it. Public, like openapi.json.
 */
const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Sharing tasks API</title>
  <link rel="stylesheet" href="docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="docs/assets/swagger-ui-bundle.js"></script>
  <script src="docs/init.js"></script>
</body>
</html>
`;

// validatorUrl null: no badge fetched from swagger.io (the CSP would refuse it anyway).
const INIT = `window.ui = SwaggerUIBundle({ url: 'openapi.json', dom_id: '#swagger-ui', deepLinking: true, validatorUrl: null });\n`;

export function docsRouter(): Router {
  const router = express.Router();
  const bases = ['/api/v1/sharing-tasks', '/v1/sharing-tasks'];
  // Relative asset URLs resolve against ".../sharing-tasks/docs" only without a trailing slash.
  router.get(bases.map((base) => `${base}/docs`), docsContentSecurityPolicy(), (_req, res) => {
    res.type('html').set('cache-control', 'no-cache').send(PAGE);
  });
  router.get(bases.map((base) => `${base}/docs/init.js`), (_req, res) => {
    res.type('js').send(INIT);
  });
  // Swagger UI's own files are public and versioned with the package: cacheable, unlike everything else (no-store).
  const cacheable: express.RequestHandler = (_req, res, next) => {
    res.removeHeader('Cache-Control');
    next();
  };
  router.use(bases.map((base) => `${base}/docs/assets`), cacheable, express.static(dirname(require.resolve('swagger-ui-dist/package.json')), { index: false, maxAge: '1d' }));
  return router;
}
