/**
 * The live notification path on real parts: engine (alerts, routes), Redis (outbox, SSE stream, dead
 * letters), a local SMTP server and a local webhook receiver. Time is passed to `flushDue`, never waited.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { AlertService } from '../../indexer/alert/alert.service.js';
import type { RuleHit } from '../../indexer/alert/alert.types.js';
import { AlertNotifier, type AlertNotifierOptions } from '../../indexer/alert/routing/alert-notifier.js';
import type { AlertDeliveryRecord } from '../../indexer/alert/routing/delivery-log.js';
import { RouteRepository } from '../../indexer/alert/routing/route.repository.js';
import type { Severity } from '../../indexer/match/rule.types.js';
import {
  Dispatcher,
  EmailChannel,
  InAppChannel,
  NotifyDeadLetterStore,
  SseHub,
  verifyWebhookSignature,
  WebhookChannel,
} from '../../notify/index.js';
import { json, startServer, type LocalServer } from '../notify/notify-support.js';
import { routingFixture, silent, type RoutingFixture } from './routing-support.js';
import { startSmtpInbox, type SmtpInbox } from './smtp-inbox.js';

const SECRET = 'outbox-test-secret-1';
/** Digest windows of a day (aligned on UTC midnight), so no window closes while a test runs. */
const DAY = 86_400_000;
let fx: RoutingFixture;
let inbox: SmtpInbox;
let receiver: LocalServer;
let hookAnswers: number[];
const calls: Array<{ body: string; valid: boolean }> = [];
let routes: RouteRepository;
let hub: SseHub;
let email: EmailChannel;
let deadLetters: NotifyDeadLetterStore;
let dispatcher: Dispatcher;

beforeAll(async () => {
  fx = await routingFixture('outbox');
  inbox = await startSmtpInbox();
  receiver = await startServer((req, res, body) => {
    calls.push({
      body,
      valid: verifyWebhookSignature(req.headers['x-argus-signature'] as string, body, SECRET),
    });
    const status = hookAnswers.shift() ?? 200;
    json(res, status, { ok: status < 300 });
  });
  routes = new RouteRepository(fx.engine, { prefix: fx.prefix, refresh: true });
  hub = new SseHub(fx.redis, { prefix: fx.keyPrefix });
  email = new EmailChannel({ smtpUrl: inbox.url, attempts: 1, backoffMs: 1 });
  deadLetters = new NotifyDeadLetterStore(fx.redis, fx.keyPrefix);
  dispatcher = new Dispatcher({
    channels: {
      in_app: new InAppChannel(hub),
      email,
      // The outbox retries and dead-letters itself; the channel tries once per flush.
      webhook: new WebhookChannel({ attempts: 1, backoffMs: 1, timeoutMs: 2_000 }),
    },
  });
  await routes.create(
    {
      id: 'xihu-email',
      name: '西湖区邮件汇总',
      node_id: '330106',
      target: { channel: 'email', to: ['xihu@bureau.test'] },
      digest_interval_ms: DAY,
    },
    { actor: 't' },
  );
  await routes.create(
    {
      id: 'grid-hook',
      name: '网格 webhook',
      node_id: '330106-01-g02',
      min_severity: 'high',
      target: { channel: 'webhook', url: `${receiver.url}/hook`, secret: SECRET },
    },
    { actor: 't' },
  );
  await routes.create(
    {
      id: 'binjiang-email',
      name: '滨江区邮件汇总',
      node_id: '330108',
      target: { channel: 'email', to: ['binjiang@bureau.test'] },
      digest_interval_ms: DAY,
    },
    { actor: 't' },
  );
}, 120_000);

afterAll(async () => {
  email.close();
  await hub.close();
  await receiver.close();
  await inbox.close();
  await fx.drop();
});

beforeEach(async () => {
  inbox.mails.length = 0;
  calls.length = 0;
  hookAnswers = [];
  await deadLetters.clear();
});

function notifier(overrides: Partial<AlertNotifierOptions> = {}): AlertNotifier {
  return new AlertNotifier(fx.engine, {
    prefix: fx.prefix,
    redis: fx.redis,
    routes,
    dispatcher,
    deadLetters,
    keyPrefix: fx.keyPrefix,
    refresh: true,
    routeCacheMs: 0,
    log: silent,
    ...overrides,
  });
}

let docs = 0;
function hit(grid: string, severity: Severity = 'medium', rule = 'zui-jia'): RuleHit {
  docs++;
  const [county, station] = [grid.slice(0, 6), grid.slice(0, 9)];
  return {
    rule: { id: rule, version: 1, name: `规则 ${rule}`, severity, category: 'ad_law_absolute' },
    kind: 'page',
    doc: {
      id: `doc-${docs}`,
      url: `http://shop-${docs}.test/`,
      site: `shop-${docs}.test`,
      operator_id: `op-${docs}`,
      jurisdiction: { city: '3301', county, station, grid },
    },
    indexedAt: Date.now(),
  };
}

async function deliveries(alerts: AlertService, id: string): Promise<AlertDeliveryRecord[]> {
  const stored = await alerts.get(id);
  return ((stored?.alert as unknown as { notifications?: AlertDeliveryRecord[] }).notifications ?? []).map(
    (r) => r,
  );
}

const FAR = (): number => Date.now() + DAY + 1;

/** Alerts recorded in the fixture's indices, each handed to `n` as the crawl's alert path does. */
function alertsNotifying(n: AlertNotifier): AlertService {
  return new AlertService(fx.engine, { prefix: fx.prefix, refresh: true, log: silent, notify: n.notify });
}

describe('alert outbox', () => {
  it('queued digest items survive a restart: a new process sends one digest of the rule to its district', async () => {
    const before = notifier();
    const alerts = alertsNotifying(before);
    const recorded = await alerts.recordHits([hit('330106-01-g01'), hit('330106-02-g01')]);
    await alerts.recordHits([hit('330108-01-g01')]);
    expect(await before.flushDue()).toBe(0);
    expect(inbox.mails).toHaveLength(0);
    // "restart": the first notifier is gone; a fresh one finds the queue in Redis once the window ends.
    const after = notifier();
    expect(await after.flushDue(FAR())).toBe(2);
    expect(inbox.mails.map((m) => m.to).sort()).toEqual([['binjiang@bureau.test'], ['xihu@bureau.test']]);
    const xihu = inbox.mails.find((m) => m.to[0] === 'xihu@bureau.test');
    expect(xihu?.mail.subject).toContain('2 条预警');
    expect(xihu?.mail.text).toContain('shop-1.test');
    expect(xihu?.mail.text).toContain('shop-2.test');
    expect(await after.flushDue(FAR())).toBe(0);
    expect(inbox.mails).toHaveLength(2);
    const states = await deliveries(alerts, recorded[0]?.alertId ?? '');
    expect(states.map((r) => [r.channel, r.status, r.digest ?? false])).toEqual([
      ['in_app', 'sent', false],
      ['email', 'queued', true],
      ['email', 'sent', true],
    ]);
    expect(states[2]).toMatchObject({ recipient: 'xihu@bureau.test', route_id: 'xihu-email', attempts: 1 });
  });

  it('a high alert in the grid goes to the webhook at once, signed; a critical one skips the email digest', async () => {
    const n = notifier();
    const alerts = alertsNotifying(n);
    const [high] = await alerts.recordHits([hit('330106-01-g02', 'high')]);
    await n.flushSoon();
    expect(calls).toHaveLength(1);
    expect(calls[0]?.valid).toBe(true);
    expect(JSON.parse(calls[0]?.body ?? '{}')).toMatchObject({
      type: 'alert',
      notice: { alertIds: [high?.alertId], jurisdiction: { grid: '330106-01-g02' } },
    });
    expect(inbox.mails).toHaveLength(0);
    const [critical] = await alerts.recordHits([hit('330106-01-g01', 'critical', 'zhi-yu')]);
    await n.flushSoon();
    expect(inbox.mails).toHaveLength(1);
    expect(inbox.mails[0]?.mail.headers.get('x-argus-alerts')).toBe(critical?.alertId);
    expect(calls).toHaveLength(1);
    await n.flushDue(FAR());
  });

  it('when the webhook fails, the item stays queued and is retried later; the alert shows failed then sent', async () => {
    const n = notifier({ retryDelayMs: 30_000 });
    const alerts = alertsNotifying(n);
    hookAnswers = [503];
    const [created] = await alerts.recordHits([hit('330106-01-g02', 'high', 'retry-rule')]);
    await n.flushSoon();
    expect(calls).toHaveLength(1);
    expect(await n.queue.size()).toBeGreaterThan(0);
    expect(await n.flushDue()).toBe(0);
    expect(await n.flushDue(Date.now() + 30_001)).toBe(1);
    expect(calls).toHaveLength(2);
    const hook = (await deliveries(alerts, created?.alertId ?? '')).filter((r) => r.channel === 'webhook');
    expect(hook.map((r) => r.status)).toEqual(['failed', 'sent']);
    expect(hook[0]?.error).toMatch(/^HTTP_503/);
    await n.flushDue(FAR());
  });

  it('when every retry fails, the notice is dead-lettered and the alert says so; a requeued letter is sent', async () => {
    const n = notifier({ retryDelayMs: 1_000, maxTries: 2 });
    const alerts = alertsNotifying(n);
    hookAnswers = [500, 500];
    const [created] = await alerts.recordHits([hit('330106-01-g02', 'high', 'dead-rule')]);
    await n.flushSoon();
    await n.flushDue(Date.now() + 1_001);
    const hook = (await deliveries(alerts, created?.alertId ?? '')).filter((r) => r.channel === 'webhook');
    expect(hook.map((r) => r.status)).toEqual(['failed', 'dead_lettered']);
    const letters = await deadLetters.list();
    expect(letters).toHaveLength(1);
    expect(letters[0]?.notice.alertIds).toEqual([created?.alertId]);
    expect(await n.requeueDeadLetter(letters[0]?.id ?? '')).toBe(true);
    expect(await n.requeueDeadLetter(letters[0]?.id ?? '')).toBe(false);
    await n.flushSoon();
    expect(await deadLetters.count()).toBe(0);
    const after = (await deliveries(alerts, created?.alertId ?? '')).filter((r) => r.channel === 'webhook');
    expect(after.map((r) => r.status)).toEqual(['failed', 'dead_lettered', 'sent']);
    await n.flushDue(FAR());
  });

  it('a webhook 4xx refusal goes straight to dead letters, never retried', async () => {
    const n = notifier({ retryDelayMs: 1_000 });
    const alerts = alertsNotifying(n);
    hookAnswers = [404, 200, 200];
    const [created] = await alerts.recordHits([hit('330106-01-g02', 'high', 'gone-rule')]);
    await n.flushSoon();
    expect(calls).toHaveLength(1);
    expect(await n.flushDue(Date.now() + 5_000)).toBe(0);
    expect(calls).toHaveLength(1);
    const hook = (await deliveries(alerts, created?.alertId ?? '')).filter((r) => r.channel === 'webhook');
    expect(hook.map((r) => [r.status, r.attempts])).toEqual([['dead_lettered', 1]]);
    expect(hook[0]?.error).toMatch(/^HTTP_404/);
    const letters = await deadLetters.list();
    expect(letters.map((l) => [l.notice.alertIds, l.error.slice(0, 8)])).toEqual([
      [[created?.alertId], 'HTTP_404'],
    ]);
    await n.flushDue(FAR());
  });

  it('webhook 429 and 408 answers are transient: retried with back-off until sent', async () => {
    const n = notifier({ retryDelayMs: 1_000 });
    const alerts = alertsNotifying(n);
    hookAnswers = [429, 408];
    const [created] = await alerts.recordHits([hit('330106-01-g02', 'high', 'busy-rule')]);
    await n.flushSoon();
    expect(await n.flushDue()).toBe(0);
    // The second try is due 1 s after the first failure, the third 2 s after the second.
    expect(await n.flushDue(Date.now() + 1_001)).toBe(1);
    expect(await n.flushDue(Date.now() + 1_001)).toBe(0);
    expect(await n.flushDue(Date.now() + 2_001)).toBe(1);
    expect(calls).toHaveLength(3);
    const hook = (await deliveries(alerts, created?.alertId ?? '')).filter((r) => r.channel === 'webhook');
    expect(hook.map((r) => r.status)).toEqual(['failed', 'failed', 'sent']);
    expect(hook.map((r) => r.error?.slice(0, 8))).toEqual(['HTTP_429', 'HTTP_408', undefined]);
    expect(await deadLetters.count()).toBe(0);
    await n.flushDue(FAR());
  });

  it('an SMTP 5xx refusal goes straight to dead letters; a refused connection is retried', async () => {
    await routes.create(
      {
        id: 'bounce-email',
        name: '上城区退信',
        node_id: '330102',
        target: { channel: 'email', to: ['bounce@bureau.test'] },
        digest_interval_ms: 0,
      },
      { actor: 't' },
    );
    try {
      const n = notifier({ retryDelayMs: 1_000 });
      const alerts = alertsNotifying(n);
      const [bounced] = await alerts.recordHits([hit('330102-01-g01', 'high', 'bounce-rule')]);
      await n.flushSoon();
      expect(await n.flushDue(Date.now() + 5_000)).toBe(0);
      const mail = (await deliveries(alerts, bounced?.alertId ?? '')).filter((r) => r.channel === 'email');
      expect(mail.map((r) => [r.status, r.attempts])).toEqual([['dead_lettered', 1]]);
      expect(mail[0]?.error).toMatch(/^SMTP_550/);
      expect(await deadLetters.count()).toBe(1);

      const down = new EmailChannel({ smtpUrl: 'smtp://127.0.0.1:1', attempts: 1, timeoutMs: 2_000 });
      const unreachable = notifier({
        retryDelayMs: 1_000,
        dispatcher: new Dispatcher({ channels: { in_app: new InAppChannel(hub), email: down } }),
      });
      const refusing = alertsNotifying(unreachable);
      const [refused] = await refusing.recordHits([hit('330102-01-g01', 'high', 'refused-rule')]);
      await unreachable.flushSoon();
      down.close();
      const tried = (await deliveries(alerts, refused?.alertId ?? '')).filter((r) => r.channel === 'email');
      expect(tried.map((r) => r.status)).toEqual(['failed']);
      expect(tried[0]?.error).toMatch(/ECONNREFUSED/);
      expect(await unreachable.queue.size()).toBe(1);
      expect(await deadLetters.count()).toBe(1);
      await unreachable.queue.clear();
    } finally {
      await routes.delete('bounce-email', { actor: 't' });
    }
  });

  it('two flushers at once send a due digest once, and a flusher that died mid-way is taken over after its lease', async () => {
    const n = notifier({ leaseMs: 5_000 });
    const alerts = alertsNotifying(n);
    await alerts.recordHits([hit('330108-02-g01', 'medium', 'twice')]);
    const counts = await Promise.all([notifier().flushDue(FAR()), notifier().flushDue(FAR())]);
    expect(counts.sort()).toEqual([0, 1]);
    expect(inbox.mails).toHaveLength(1);

    await alerts.recordHits([hit('330108-02-g01', 'medium', 'crash')]);
    const claimed = await n.queue.claim(50, FAR());
    expect(claimed).toHaveLength(1);
    expect(await notifier().flushDue(FAR())).toBe(0);
    expect(await notifier().flushDue(FAR() + 5_001)).toBe(1);
    expect(inbox.mails).toHaveLength(2);
    expect(await n.queue.size()).toBe(0);
  });
});
