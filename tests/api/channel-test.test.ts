/**
 * `POST /api/channels/:id/test` on the real engine and Redis against local stand-ins: an HTTP server
 * for webhooks and robots, smtp-server for email, the Redis stream for in-app. A refusing or absent
 * target answers `ok: false` with the target's own code, never a 500; the test is one try, audited.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { config } from '../../core/config.js';
import { CHANNEL_TEST_RULE_ID } from '../../indexer/alert/routing/channel-test.js';
import { aliasName } from '../../mappings/index.js';
import { SseHub, verifyWebhookSignature, type AlertNotice } from '../../notify/index.js';
import { startSmtpInbox, type SmtpInbox } from '../alert/smtp-inbox.js';
import { json, startServer, type LocalServer } from '../notify/notify-support.js';
import { apiFixture, type ApiFixture } from './api-fixture.js';
import { MATRIX_TREE, MATRIX_USERS, PASSWORD } from './matrix-fixture.js';

const SECRET = 'channel-test-secret-1';
let fx: ApiFixture;
let inbox: SmtpInbox;
let target: LocalServer;
let closedUrl = '';
let hub: SseHub;
let hubRedis: Redis;
const hubPrefix = `apichtest-${Date.now()}`;
const calls: Array<{ path: string; body: string; signed: boolean }> = [];
const tokens: Record<string, string> = {};

interface TestAnswer {
  ok: boolean;
  status: string;
  ms: number;
  channel: string;
  recipient: string;
  error?: string;
  retryable?: boolean;
}

beforeAll(async () => {
  inbox = await startSmtpInbox();
  target = await startServer((req, res, body) => {
    const path = req.url ?? '';
    calls.push({
      path,
      body,
      signed: verifyWebhookSignature(req.headers['x-argus-signature'] as string, body, SECRET),
    });
    if (path.startsWith('/gone')) json(res, 404, { error: 'no such hook' });
    else if (path.startsWith('/robot/ok')) json(res, 200, { errcode: 0, errmsg: 'ok' });
    else if (path.startsWith('/robot/bad-key'))
      json(res, 200, { errcode: 93000, errmsg: 'invalid webhook url' });
    else json(res, 200, { ok: true });
  });
  const closed = await startServer(() => undefined);
  closedUrl = closed.url;
  await closed.close();
  hubRedis = new Redis(config().REDIS_URL);
  hub = new SseHub(hubRedis, { prefix: hubPrefix });
  fx = await apiFixture(
    'apichtest',
    MATRIX_TREE,
    MATRIX_USERS,
    {},
    {
      hub,
      channelTest: { smtpUrl: inbox.url, timeoutMs: 5_000 },
    },
  );
  for (const name of ['supervisor-c', 'supervisor-k1', 'inspector-k1', 'admin-k1']) {
    tokens[name] = await fx.login(name, PASSWORD);
  }
}, 120_000);

afterAll(async () => {
  await hub?.close();
  await hubRedis?.del(`${hubPrefix}:notify:events`);
  await hubRedis?.quit();
  await target?.close();
  await inbox?.close();
  await fx?.cleanup();
});

async function call<T>(
  who: string,
  method: string,
  path: string,
  json?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fx.call(tokens[who], path, { method, ...(json !== undefined ? { json } : {}) });
  return { status: res.status, body: (await res.json()) as T };
}

let routes = 0;
async function route(node: string, channelTarget: Record<string, unknown>): Promise<string> {
  routes++;
  const created = await call<{ id: string }>('supervisor-c', 'POST', '/api/channels', {
    id: `test-route-${routes}`,
    name: `测试路由 ${routes}`,
    node_id: node,
    target: channelTarget,
  });
  expect(created.status).toBe(201);
  return created.body.id;
}

async function test(who: string, id: string, body?: unknown): Promise<{ status: number; body: TestAnswer }> {
  return call<TestAnswer>(who, 'POST', `/api/channels/${id}/test`, body);
}

describe('POST /api/channels/:id/test', () => {
  it('sends one signed test notice to a webhook and answers ok with the time taken', async () => {
    const id = await route('k1', { channel: 'webhook', url: `${target.url}/hook`, secret: SECRET });
    calls.length = 0;
    const answer = await test('supervisor-k1', id, { message: '配置变更后测试' });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      ok: true,
      status: 'sent',
      channel: 'webhook',
      recipient: `${target.url}/hook`,
    });
    expect(answer.body.ms).toBeGreaterThanOrEqual(0);
    expect(answer.body.error).toBeUndefined();
    expect(calls.map((c) => [c.path, c.signed])).toEqual([['/hook', true]]);
    const sent = JSON.parse(calls[0]?.body ?? '{}') as { notice: AlertNotice };
    expect(sent.notice).toMatchObject({
      ruleId: CHANNEL_TEST_RULE_ID,
      alertIds: [],
      jurisdiction: { county: 'k1' },
    });
    expect(sent.notice.summary).toContain('配置变更后测试');
  });

  it('a webhook answering 404 is ok:false with the HTTP code, tried once, not a 500', async () => {
    const id = await route('k1', { channel: 'webhook', url: `${target.url}/gone` });
    calls.length = 0;
    const answer = await test('supervisor-c', id);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ ok: false, status: 'failed', retryable: false });
    expect(answer.body.error).toMatch(/^HTTP_404: /);
    expect(calls).toHaveLength(1);
  });

  it('a refused connection is ok:false with ECONNREFUSED, marked retryable', async () => {
    const id = await route('k1', { channel: 'webhook', url: `${closedUrl}/hook` });
    const answer = await test('supervisor-c', id);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ ok: false, status: 'failed', retryable: true });
    expect(answer.body.error).toMatch(/ECONNREFUSED/);
  });

  it('a webhook at a cloud metadata address is refused by the SSRF guard: ok:false, final, nothing sent', async () => {
    const id = await route('k1', { channel: 'webhook', url: 'http://169.254.169.254/latest/meta-data/' });
    const answer = await test('supervisor-c', id);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ ok: false, status: 'failed', retryable: false });
    expect(answer.body.error).toMatch(/^SSRF_BLOCKED: .*metadata address/);
  });

  it('sends an email through the SMTP server; a 550 recipient is ok:false with the SMTP code', async () => {
    const id = await route('k1s1', { channel: 'email', to: ['k1s1@bureau.test'] });
    const answer = await test('supervisor-c', id);
    expect(answer.body).toMatchObject({
      ok: true,
      status: 'sent',
      channel: 'email',
      recipient: 'k1s1@bureau.test',
    });
    await inbox.waitFor(1);
    expect(inbox.mails.map((m) => m.to)).toEqual([['k1s1@bureau.test']]);
    expect(inbox.mails[0]?.mail.subject).toContain('Channel test');
    const bounce = await route('k1s1', { channel: 'email', to: ['bounce@bureau.test'] });
    const refused = await test('supervisor-c', bounce);
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({ ok: false, retryable: false });
    expect(refused.body.error).toMatch(/^SMTP_550/);
    expect(inbox.mails).toHaveLength(1);
  });

  it('reads the robots’ errcode: DingTalk 0 is sent, WeCom 93000 is refused', async () => {
    const ding = await route('k1', { channel: 'dingtalk', url: `${target.url}/robot/ok?access_token=t0ken` });
    const dingAnswer = await test('supervisor-c', ding);
    expect(dingAnswer.body).toMatchObject({
      ok: true,
      channel: 'dingtalk',
      recipient: `${target.url}/robot/ok`,
    });
    const wecom = await route('k1', { channel: 'wecom', url: `${target.url}/robot/bad-key?key=k3y` });
    const wecomAnswer = await test('supervisor-c', wecom);
    expect(wecomAnswer.body).toMatchObject({ ok: false, channel: 'wecom', retryable: false });
    expect(wecomAnswer.body.error).toMatch(/^ERRCODE_93000/);
    expect(JSON.stringify([dingAnswer.body, wecomAnswer.body])).not.toMatch(/t0ken|k3y/);
  });

  it('publishes an in-app test on the stream with the route’s jurisdiction', async () => {
    const id = await route('k1s2g1', { channel: 'in_app' });
    const answer = await test('admin-k1', id);
    expect(answer.body).toMatchObject({ ok: true, channel: 'in_app' });
    const entries = await hubRedis.xrange(hub.streamKey, '-', '+');
    const notices = entries.map(([, fields]) => JSON.parse(fields[1] ?? '{}') as AlertNotice);
    expect(notices.map((n) => [n.ruleId, n.jurisdiction.grid])).toEqual([[CHANNEL_TEST_RULE_ID, 'k1s2g1']]);
  });

  it('is for supervisors and admins in scope: 403 for an inspector, 404 outside the county, 400 on bad input', async () => {
    const far = await route('k2', { channel: 'webhook', url: `${target.url}/hook` });
    calls.length = 0;
    expect((await test('inspector-k1', far)).status).toBe(403);
    const outside = await call<{ error: { code: string } }>(
      'supervisor-k1',
      'POST',
      `/api/channels/${far}/test`,
    );
    expect(outside.status).toBe(404);
    expect((await test('supervisor-k1', 'no-such-route')).status).toBe(404);
    const badId = await call<{ error: { code: string } }>('supervisor-c', 'POST', '/api/channels/a*b/test');
    expect([badId.status, badId.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const badBody = await test('supervisor-c', far, { message: 'x', to: 'elsewhere@evil.test' });
    expect(badBody.status).toBe(400);
    expect(calls).toHaveLength(0);
  });

  it('audits every test on the route’s chain with its outcome', async () => {
    const id = await route('k1', { channel: 'webhook', url: `${target.url}/gone` });
    await test('supervisor-c', id);
    const audit = aliasName(fx.prefix, 'audit');
    await fx.engine.refresh(audit);
    const found = await fx.engine.search<{ action: string; outcome: string; actor: string }>({
      index: audit,
      query: { bool: { filter: [{ term: { target_id: id } }, { term: { action: 'route.test' } }] } },
      size: 10,
    });
    expect(found.hits.map((h) => [h.source.actor, h.source.outcome])).toEqual([['supervisor-c', 'failed']]);
  });
});
