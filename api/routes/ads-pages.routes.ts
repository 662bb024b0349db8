/**
 * Ads and pages beyond the generic resource routes: ad groups, the pages an ad was seen on, its
 * timeline; a page's versions and the diff between two. Each `:id` is read and scope-checked first
 * (404 outside the caller's scope).
 */
import { Router } from 'express';
import { z } from 'zod';
import type { EnginePort } from '../../engine/port.js';
import { AD_GROUP_FIELDS, adPages, adTimeline, groupAds } from '../../search/ads-read.js';
import { diffPageVersions, pageVersions } from '../../search/page-history.js';
import { authorize } from '../auth/principal.js';
import { idParam, idString, parseRequest } from '../http/validate.js';
import { defineRoute } from '../openapi/route-docs.js';
import { RESOURCE_CATALOG } from '../resources/resource-catalog.js';
import { getScoped } from '../resources/scoped-search.js';

export interface AdsPagesRouteDeps {
  engine: EnginePort;
  prefix: string;
}

const dateParam = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

export const adGroupsQuery = z
  .object({
    by: z.enum(Object.keys(AD_GROUP_FIELDS) as [keyof typeof AD_GROUP_FIELDS]).default('advertiser'),
    q: z.string().max(1_000).default(''),
    domain: z
      .string()
      .max(253)
      .regex(/^[A-Za-z0-9.-]+$/)
      .optional(),
    operator: idString.optional(),
    district: idString.optional(),
    grid: idString.optional(),
    rule: idString.optional(),
    from: dateParam.optional(),
    to: dateParam.optional(),
    size: z.coerce.number().int().min(1).max(100).default(20),
    sampleSize: z.coerce.number().int().min(0).max(20).default(4),
  })
  .strict();

export const diffQuery = z
  .object({
    from: z.coerce.number().int().min(1).max(1_000_000),
    to: z.coerce.number().int().min(1).max(1_000_000),
  })
  .strict();

export function adsPagesRoutes(deps: AdsPagesRouteDeps): Router {
  const router = Router();
  const { engine, prefix } = deps;

  defineRoute(
    router,
    '/api',
    {
      method: 'get',
      path: '/ads/groups',
      tag: 'ads',
      summary: 'Ads in scope grouped by advertiser, landing domain, category or rule, with samples',
      query: adGroupsQuery,
    },
    async (req, res) => {
      const access = authorize(req, 'ads', 'read');
      const { by, q, size, sampleSize, ...filters } = parseRequest(adGroupsQuery, req.query, 'query');
      const defined = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined));
      res.json(
        await groupAds(engine, {
          prefix,
          by,
          query: q,
          size,
          sampleSize,
          scope: [access.filter('jurisdiction')],
          filters: defined,
        }),
      );
    },
  );

  defineRoute(
    router,
    '/api',
    {
      method: 'get',
      path: '/ads/:id/pages',
      tag: 'ads',
      summary: 'The pages in scope an ad was seen on',
      params: idParam,
    },
    async (req, res) => {
      const access = authorize(req, 'ads', 'read');
      const { id } = parseRequest(idParam, req.params, 'params');
      const { doc } = await getScoped(engine, prefix, RESOURCE_CATALOG.ads, access, id);
      res.json(await adPages(engine, prefix, doc, access.filter('jurisdiction')));
    },
  );

  defineRoute(
    router,
    '/api',
    {
      method: 'get',
      path: '/ads/:id/timeline',
      tag: 'ads',
      summary: 'First and last sighting, pages and alerts of an ad, in time order',
      params: idParam,
    },
    async (req, res) => {
      const access = authorize(req, 'ads', 'read');
      const { id } = parseRequest(idParam, req.params, 'params');
      const { doc } = await getScoped(engine, prefix, RESOURCE_CATALOG.ads, access, id);
      res.json(await adTimeline(engine, prefix, { ...doc, id }, access.filter('jurisdiction')));
    },
  );

  defineRoute(
    router,
    '/api',
    {
      method: 'get',
      path: '/pages/:id/versions',
      tag: 'pages',
      summary: 'Stored versions of a page, newest first',
      params: idParam,
    },
    async (req, res) => {
      const access = authorize(req, 'pages', 'read');
      const { id } = parseRequest(idParam, req.params, 'params');
      await getScoped(engine, prefix, RESOURCE_CATALOG.pages, access, id);
      res.json({ id, versions: await pageVersions(engine, prefix, id) });
    },
  );

  defineRoute(
    router,
    '/api',
    {
      method: 'get',
      path: '/pages/:id/diff',
      tag: 'pages',
      summary: 'Word diff of a page between versions `from` and `to`',
      params: idParam,
      query: diffQuery,
    },
    async (req, res) => {
      const access = authorize(req, 'pages', 'read');
      const { id } = parseRequest(idParam, req.params, 'params');
      const { from, to } = parseRequest(diffQuery, req.query, 'query');
      await getScoped(engine, prefix, RESOURCE_CATALOG.pages, access, id);
      res.json(await diffPageVersions(engine, prefix, id, from, to));
    },
  );
  return router;
}
