/** Crawl control: `POST /api/crawl/submit` (URLs and sites into the frontier), `GET /api/crawl/status`. */
import { Router } from 'express';
import { z } from 'zod';
import { NonRetryableError } from '../../core/errors.js';
import type { Frontier } from '../../indexer/frontier/frontier.js';
import { queueSeeds } from '../../indexer/pipeline/seeds.js';
import { authorize } from '../auth/principal.js';
import { parseRequest } from '../http/validate.js';
import { defineRoute } from '../openapi/route-docs.js';

export interface CrawlRouteDeps {
  frontier?: Frontier;
}

const httpUrl = z
  .url({ protocol: /^https?$/, hostname: z.regexes.hostname })
  .max(2_048)
  .describe('An http(s) URL');
const site = z
  .string()
  .max(300)
  .regex(
    /^(https?:\/\/)?[A-Za-z0-9.-]+(:\d{1,5})?\/?$/,
    'a host (shop.example.com.cn, crawled over https) or an origin (http://host:port)',
  );

export const crawlSubmitBody = z
  .object({
    urls: z.array(httpUrl).max(1_000).default([]),
    sites: z.array(site).max(200).default([]),
  })
  .strict()
  .refine((b) => b.urls.length + b.sites.length > 0, { message: 'give `urls` or `sites`' });

function noCrawl(): NonRetryableError {
  return new NonRetryableError('No crawl runs in this process', { code: 'NO_CRAWL', httpStatus: 404 });
}

/** A site's start URL: its origin as given, else `https://<host>/`. */
function siteSeed(value: string): string {
  const origin = /^https?:\/\//.test(value) ? value : `https://${value}`;
  return origin.endsWith('/') ? origin : `${origin}/`;
}

export function crawlRoutes(deps: CrawlRouteDeps): Router {
  const router = Router();
  defineRoute(
    router,
    '/api',
    { method: 'get', path: '/crawl/status', tag: 'crawl', summary: 'Frontier progress and queue figures' },
    async (req, res) => {
      authorize(req, 'crawl', 'read');
      if (!deps.frontier) throw noCrawl();
      res.json(await deps.frontier.progress());
    },
  );
  defineRoute(
    router,
    '/api',
    {
      method: 'post',
      path: '/crawl/submit',
      tag: 'crawl',
      summary: 'Queue URLs and sites (home pages) for crawling; known URLs are re-crawled now',
      body: crawlSubmitBody,
    },
    async (req, res) => {
      authorize(req, 'crawl', 'write');
      const body = parseRequest(crawlSubmitBody, req.body, 'body');
      if (!deps.frontier) throw noCrawl();
      const seeds = [...new Set([...body.urls, ...body.sites.map(siteSeed)])];
      const queued = await queueSeeds(deps.frontier, seeds);
      res.status(202).json({ submitted: seeds.length, queued });
    },
  );
  return router;
}
