/**
 * Alert routes: who is told about which alerts, on which channel, how often. zod schemas for what an
 * author sends (create, patch) and the shape the `alert-routes` index stores.
 */
import { z } from 'zod';
import { SEVERITIES, type Severity } from '../../match/rule.types.js';
import type { ChannelTarget } from '../../../notify/types.js';
import type { JurisdictionLevel, JurisdictionRef } from '../../../registry/types.js';

/** Longest digest interval: one day. */
export const MAX_DIGEST_INTERVAL_MS = 86_400_000;

const httpUrl = z
  .string()
  .trim()
  .max(2_000)
  .refine((value) => {
    try {
      return ['http:', 'https:'].includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, 'an http(s) URL');

const secret = z.string().min(8).max(256);

/** One channel target, the same shapes the notify stage sends to (`notify/types.ts`). */
export const channelTargetSchema = z.discriminatedUnion('channel', [
  z.object({ channel: z.literal('webhook'), url: httpUrl, secret: secret.optional() }).strict(),
  z
    .object({
      channel: z.literal('email'),
      to: z.array(z.email()).min(1).max(50),
      lang: z.enum(['zh', 'en']).optional(),
    })
    .strict(),
  z
    .object({
      channel: z.literal('dingtalk'),
      url: httpUrl,
      secret: secret.optional(),
      atMobiles: z
        .array(z.string().regex(/^\+?\d{5,20}$/, 'a phone number'))
        .max(50)
        .optional(),
      atUserIds: z.array(z.string().min(1).max(100)).max(50).optional(),
      isAtAll: z.boolean().optional(),
    })
    .strict(),
  z.object({ channel: z.literal('wecom'), url: httpUrl }).strict(),
  z.object({ channel: z.literal('in_app') }).strict(),
]);

const routeFields = {
  /** Stable slug; generated from a random UUID when left out. */
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_.-]{0,127}$/, 'lower-case letters, digits, ".", "_" and "-", at most 128'),
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2_000).optional(),
  /** A node of the jurisdiction tree (city, county, station or grid). */
  node_id: z.string().trim().min(1).max(100),
  min_severity: z.enum(SEVERITIES),
  categories: z.array(z.string().trim().min(1).max(100)).max(50),
  rule_ids: z.array(z.string().trim().min(1).max(128)).max(500),
  target: channelTargetSchema,
  enabled: z.boolean(),
  digest_interval_ms: z.number().int().min(0).max(MAX_DIGEST_INTERVAL_MS),
  bypass_digest_severity: z.enum(SEVERITIES),
};

/** What an author sends to create a route; defaults fill the rest. */
export const routeInputSchema = z
  .object({
    ...routeFields,
    id: routeFields.id.optional(),
    min_severity: routeFields.min_severity.default('low'),
    categories: routeFields.categories.default([]),
    rule_ids: routeFields.rule_ids.default([]),
    enabled: routeFields.enabled.default(true),
    digest_interval_ms: routeFields.digest_interval_ms.optional(),
    bypass_digest_severity: routeFields.bypass_digest_severity.default('critical'),
  })
  .strict();

/** Fields a change may set (never `id`); `node_id` moves the route to another node. */
export const routePatchSchema = z.object(routeFields).omit({ id: true }).partial().strict();

export type RouteInput = z.input<typeof routeInputSchema>;
export type RoutePatch = z.input<typeof routePatchSchema>;

/** A route as the `alert-routes` index stores it. */
export interface AlertRoute {
  id: string;
  name: string;
  description?: string;
  node_id: string;
  node_level: JurisdictionLevel;
  /** The node's ref (its id at its level and every level above). */
  jurisdiction: JurisdictionRef;
  min_severity: Severity;
  categories: string[];
  rule_ids: string[];
  target: ChannelTarget;
  enabled: boolean;
  /** 0: each alert at once; else one digest per rule per interval (windows aligned on the epoch). */
  digest_interval_ms: number;
  /** Alerts at least this severe skip the digest. */
  bypass_digest_severity: Severity;
  version: number;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

/**
 * Default digest interval when an author leaves it out: email is the digest channel (15 minutes);
 * webhooks, robots and in-app are machine or chat channels, told at once.
 */
export function defaultDigestIntervalMs(target: ChannelTarget): number {
  return target.channel === 'email' ? 900_000 : 0;
}

/** The route without secrets (webhook/DingTalk secrets, robot tokens in URLs), for listings and logs. */
export function redactRoute(route: AlertRoute): AlertRoute {
  const target = { ...route.target } as ChannelTarget & { secret?: string; url?: string };
  if (target.secret) target.secret = '***';
  if (target.url) {
    try {
      const url = new URL(target.url);
      for (const key of ['access_token', 'key', 'token', 'sign']) {
        if (url.searchParams.has(key)) url.searchParams.set(key, '***');
      }
      target.url = url.toString();
    } catch {
      // left as is: schema-checked URLs always parse
    }
  }
  return { ...route, target };
}
