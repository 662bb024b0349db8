/**
 * `GET /api/openapi.json` (the generated document) and `GET /api/docs` (Swagger UI from the
 * swagger-ui-dist package, served from this process: no CDN). Both are public.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import express, { Router } from 'express';
import { openApiDocument } from './openapi-document.js';
import { defineRoute } from './route-docs.js';

const PAGE = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <title>Argus API</title>
    <link rel="stylesheet" href="/api/docs/assets/swagger-ui.css" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/api/docs/assets/swagger-ui-bundle.js"></script>
    <script src="/api/docs/init.js"></script>
  </body>
</html>
`;

/** swagger-ui-dist's folder (its own `getAbsoluteFSPath` has no types). */
const SWAGGER_DIR = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const INIT = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', deepLinking: true });\n`;

export function openApiRoutes(): Router {
  const router = Router();
  let cached: string | undefined;
  defineRoute(
    router,
    '/api',
    { method: 'get', path: '/openapi.json', tag: 'ops', summary: 'This OpenAPI 3.1 document', auth: false },
    (_req, res) => {
      cached ??= JSON.stringify(openApiDocument());
      res.type('application/json').send(cached);
    },
  );
  defineRoute(
    router,
    '/api',
    {
      method: 'get',
      path: '/docs',
      tag: 'ops',
      summary: 'API docs page (Swagger UI)',
      auth: false,
      produces: ['text/html'],
    },
    (_req, res) => {
      res.type('html').send(PAGE);
    },
  );
  defineRoute(
    router,
    '/api',
    {
      method: 'get',
      path: '/docs/init.js',
      tag: 'ops',
      summary: 'Script of the docs page (points Swagger UI at /api/openapi.json)',
      auth: false,
      produces: ['application/javascript'],
    },
    (_req, res) => {
      res.type('application/javascript').send(INIT);
    },
  );
  router.use('/docs/assets', express.static(SWAGGER_DIR, { index: false, maxAge: '1d' }));
  return router;
}
