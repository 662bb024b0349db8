/**
 * Issue #5 "Done when": a shop page claiming 最佳 is published on a demo-web-like local site, crawled
 * and indexed by the real pipeline (frontier on Redis, fetch, extract, link to its operator, bulk
 * index), matched on ingest, and then there is one alert routed to its district, one digest email in
 * a local SMTP server and one HMAC-signed webhook call. Prints the measured times from indexing.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AlertService } from '../../indexer/alert/alert.service.js';
import type { Alert } from '../../indexer/alert/alert.types.js';
import { AlertNotifier } from '../../indexer/alert/routing/alert-notifier.js';
import type { AlertDeliveryRecord } from '../../indexer/alert/routing/delivery-log.js';
import { RouteRepository } from '../../indexer/alert/routing/route.repository.js';
import { Matcher } from '../../indexer/match/matcher.js';
import { RuleRepository } from '../../indexer/match/rule.repository.js';
import { startCrawlRuntime, type CrawlRuntime } from '../../indexer/pipeline/crawl-runtime.js';
import { queueSeeds } from '../../indexer/pipeline/seeds.js';
import {
  aliasName,
  candidatesDefinition,
  entitiesDefinition,
  operatorHistoryDefinition,
  pageVersionsDefinition,
} from '../../mappings/index.js';
import {
  Dispatcher,
  EmailChannel,
  InAppChannel,
  SseHub,
  verifyWebhookSignature,
  WebhookChannel,
  type WebhookPayload,
} from '../../notify/index.js';
import { OperatorRepository } from '../../registry/operators/operator.repository.js';
import { routingFixture, silent, type RoutingFixture } from '../alert/routing-support.js';
import { startSmtpInbox, type SmtpInbox } from '../alert/smtp-inbox.js';
import { json, startServer, type LocalServer } from '../notify/notify-support.js';
import { testPrefix } from '../support/ids.js';

const HOST = 'zuijia-shop.test';
const SECRET = 'xihu-webhook-secret-42';
const DIGEST_MS = 300;

const PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>西溪好物旗舰店 - 有机龙井</title></head>
<body>
  <header><h1>西溪好物旗舰店</h1><nav><a href="/">首页</a></nav></header>
  <main>
    <h2>明前有机龙井 250g</h2>
    <p>精选西湖产区，本店龙井品质全网最佳，口感清香。</p>
    <p class="price">¥ 168.00</p>
  </main>
  <footer>统一社会信用代码：91330106MA2XXXXX0X 浙ICP备20260001号</footer>
</body></html>`;

describe('done when: a page with 最佳 on the demo web', () => {
  let fx: RoutingFixture;
  let site: LocalServer;
  let receiver: LocalServer;
  let inbox: SmtpInbox;
  let runtime: CrawlRuntime;
  let matcher: Matcher;
  let notifier: AlertNotifier;
  let hub: SseHub;
  let email: EmailChannel;
  const hooks: Array<{ payload: WebhookPayload; valid: boolean; at: number }> = [];
  let firstHook: Promise<void>;

  beforeAll(async () => {
    fx = await routingFixture('donewhen', [
      pageVersionsDefinition,
      entitiesDefinition,
      candidatesDefinition,
      operatorHistoryDefinition,
    ]);
    site = await startServer((req, res) => {
      if (req.url === '/') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(PAGE);
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
      }
    });
    let hooked: () => void = () => undefined;
    firstHook = new Promise((resolve) => (hooked = resolve));
    receiver = await startServer((req, res, body) => {
      const valid = verifyWebhookSignature(req.headers['x-argus-signature'] as string, body, SECRET);
      hooks.push({ payload: JSON.parse(body) as WebhookPayload, valid, at: Date.now() });
      json(res, 200, { ok: true });
      hooked();
    });
    inbox = await startSmtpInbox();

    await new OperatorRepository(fx.engine, { prefix: fx.prefix }).create(
      {
        id: 'op-zuijia',
        name: '杭州西溪好物电子商务有限公司',
        uscc: null,
        domains: [HOST],
        type: 'self_run_site',
        jurisdiction: { city: '3301', county: '330106', station: '330106-01', grid: '330106-01-g02' },
      },
      { actor: 'test' },
    );
    await new RuleRepository(fx.engine, { prefix: fx.prefix }).create(
      {
        id: 'ad-law.zui-jia',
        name: '绝对化用语「最佳」',
        target: 'both',
        query: '"最佳"',
        severity: 'high',
        category: 'ad_law_absolute',
        legal_basis: '《广告法》第九条第三项',
      },
      { actor: 'test' },
    );
    const routes = new RouteRepository(fx.engine, { prefix: fx.prefix });
    await routes.create(
      {
        id: 'xihu-digest',
        name: '西湖区局 预警邮件汇总',
        node_id: '330106',
        target: { channel: 'email', to: ['xihu-alerts@bureau.test'] },
        digest_interval_ms: DIGEST_MS,
      },
      { actor: 'test' },
    );
    await routes.create(
      {
        id: 'xihu-hook',
        name: '西湖区局 案件系统',
        node_id: '330106',
        min_severity: 'high',
        target: { channel: 'webhook', url: `${receiver.url}/argus`, secret: SECRET },
      },
      { actor: 'test' },
    );
    await routes.create(
      {
        id: 'binjiang-digest',
        name: '滨江区局 预警邮件汇总',
        node_id: '330108',
        target: { channel: 'email', to: ['binjiang-alerts@bureau.test'] },
        digest_interval_ms: DIGEST_MS,
      },
      { actor: 'test' },
    );

    hub = new SseHub(fx.redis, { prefix: fx.keyPrefix });
    email = new EmailChannel({ smtpUrl: inbox.url, attempts: 2, backoffMs: 10 });
    notifier = new AlertNotifier(fx.engine, {
      prefix: fx.prefix,
      redis: fx.redis,
      routes,
      keyPrefix: fx.keyPrefix,
      flushIntervalMs: 50,
      log: silent,
      dispatcher: new Dispatcher({
        channels: { in_app: new InAppChannel(hub), email, webhook: new WebhookChannel({ attempts: 2 }) },
      }),
    });
    notifier.start();
    const alerts = new AlertService(fx.engine, { prefix: fx.prefix, log: silent, notify: notifier.notify });
    matcher = new Matcher(fx.engine, { prefix: fx.prefix, alerts, log: silent });
    runtime = await startCrawlRuntime({
      engine: fx.engine,
      prefix: fx.prefix,
      matcher,
      frontier: { name: 'donewhen', prefix: testPrefix('q'), backoffMs: 100 },
      worker: { handleSignals: false },
      resolve: [`${HOST}:${new URL(site.url).port}:127.0.0.1`],
      allowPrivate: ['127.0.0.1/32'],
    });
  }, 120_000);

  afterAll(async () => {
    await runtime.frontier.obliterate();
    await runtime.close();
    await notifier.stop();
    email.close();
    await hub.close();
    await Promise.all([site.close(), receiver.close(), inbox.close()]);
    await fx.drop();
  });

  it('raises one alert routed to its district, sends one digest email and one signed webhook call', async () => {
    await queueSeeds(runtime.frontier, [`http://${HOST}:${new URL(site.url).port}/`]);
    await Promise.all([firstHook, inbox.waitFor(1)]);
    await runtime.waitUntilIdle({ pollMs: 100 });
    await matcher.flush();
    // Anything still queued would be due by now: flush it so "one" really means one.
    await notifier.flushDue(Date.now() + DIGEST_MS);

    const alertsIndex = aliasName(fx.prefix, 'alerts');
    await fx.engine.refresh(alertsIndex);
    const found = await fx.engine.search<Alert & { notifications: AlertDeliveryRecord[] }>({
      index: alertsIndex,
    });
    expect(found.hits).toHaveLength(1);
    const alert = found.hits[0]?.source;
    expect(alert).toMatchObject({
      rule_id: 'ad-law.zui-jia',
      operator_id: 'op-zuijia',
      jurisdiction: { city: '3301', county: '330106', station: '330106-01', grid: '330106-01-g02' },
      status: 'open',
    });

    expect(hooks).toHaveLength(1);
    expect(hooks[0]?.valid).toBe(true);
    expect(hooks[0]?.payload).toMatchObject({
      type: 'alert',
      notice: { alertIds: [alert?.id], ruleId: 'ad-law.zui-jia', jurisdiction: { county: '330106' } },
    });

    expect(inbox.mails).toHaveLength(1);
    const [mail] = inbox.mails;
    expect(mail?.to).toEqual(['xihu-alerts@bureau.test']);
    expect(mail?.mail.subject).toContain('预警汇总');
    expect(mail?.mail.text).toContain('《广告法》第九条第三项');
    expect(mail?.mail.headers.get('x-argus-alerts')).toBe(alert?.id);

    const states = (alert?.notifications ?? []).map((r) => [r.channel, r.route_id ?? '-', r.status]);
    expect(states).toEqual(
      expect.arrayContaining([
        ['in_app', '-', 'sent'],
        ['email', 'xihu-digest', 'queued'],
        ['email', 'xihu-digest', 'sent'],
        ['webhook', 'xihu-hook', 'sent'],
      ]),
    );
    expect(states).toHaveLength(4);

    const indexedAt = Date.parse(alert?.indexed_at ?? '');
    console.log(
      [
        `done_when_alert_stored_ms=${alert?.alert_latency_ms}`,
        `done_when_webhook_ms=${(hooks[0]?.at ?? 0) - indexedAt}`,
        `done_when_digest_email_ms=${(mail?.at ?? 0) - indexedAt}`,
        `digest_interval_ms=${DIGEST_MS}`,
      ].join('\n'),
    );
  }, 120_000);
});
