import { Redis } from 'ioredis';
import { config } from '../../core/config.js';
import { NotifyDeadLetterStore } from '../../notify/dead-letters.js';
import {
  DELIVERY_HEADER,
  SIGNATURE_HEADER,
  signWebhook,
  verifyWebhookSignature,
  WebhookChannel,
  type WebhookPayload,
} from '../../notify/webhook.channel.js';
import { testPrefix } from '../support/ids.js';
import { json, sampleNotice, startServer, type LocalServer } from './notify-support.js';

const SECRET = 'test-webhook-secret-0123456789';

interface Received {
  body: string;
  signature: string | undefined;
  delivery: string | undefined;
}

describe('webhook channel', () => {
  let redis: Redis;
  let store: NotifyDeadLetterStore;
  let server: LocalServer | undefined;
  const received: Received[] = [];
  /** Status codes answered in turn; the last one repeats. */
  let script: number[] = [200];

  beforeAll(() => {
    redis = new Redis(config().REDIS_URL);
  });
  beforeEach(async () => {
    received.length = 0;
    store = new NotifyDeadLetterStore(redis, testPrefix('notify'));
    server = await startServer((req, res, body) => {
      const signature = req.headers[SIGNATURE_HEADER] as string | undefined;
      received.push({ body, signature, delivery: req.headers[DELIVERY_HEADER] as string | undefined });
      const status = script.length > 1 ? script.shift()! : script[0]!;
      if (!verifyWebhookSignature(signature, body, SECRET)) return json(res, 401, { error: 'bad signature' });
      json(res, status, { ok: status < 300 });
    });
  });
  afterEach(async () => {
    await store.clear();
    await server?.close();
  });
  afterAll(async () => {
    await redis.quit();
  });

  const channel = (): WebhookChannel =>
    new WebhookChannel({ deadLetters: store, attempts: 3, backoffMs: 20 });

  it('posts the notice as JSON with a signature the receiver verifies', async () => {
    script = [200];
    const notice = sampleNotice();
    const result = await channel().send(notice, {
      channel: 'webhook',
      url: `${server!.url}/hook`,
      secret: SECRET,
    });
    expect(result).toEqual({ status: 'sent', attempts: 1 });
    expect(received).toHaveLength(1);
    const payload = JSON.parse(received[0]!.body) as WebhookPayload;
    expect(payload).toMatchObject({ type: 'alert', notice });
    expect(received[0]!.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(received[0]!.signature, received[0]!.body, 'another-secret-xxxxxxxx')).toBe(
      false,
    );
  });

  it('when the receiver answers 503, retries with back-off and succeeds with one delivery id', async () => {
    script = [503, 502, 200];
    const result = await channel().send(sampleNotice(), {
      channel: 'webhook',
      url: server!.url,
      secret: SECRET,
    });
    expect(result).toEqual({ status: 'sent', attempts: 3 });
    expect(new Set(received.map((r) => r.delivery)).size).toBe(1);
    expect(await store.count()).toBe(0);
  });

  it('when the receiver answers 4xx, fails at once without retry or dead letter', async () => {
    script = [422];
    const result = await channel().send(sampleNotice(), {
      channel: 'webhook',
      url: server!.url,
      secret: SECRET,
    });
    expect(result.status).toBe('failed');
    expect(result.attempts).toBe(1);
    expect(result.error).toMatch(/^HTTP_422/);
    expect(await store.count()).toBe(0);
  });

  it('when every try fails, dead-letters the notice; a replay after the receiver recovers delivers it', async () => {
    script = [500];
    const notice = sampleNotice({ alertIds: ['dl-1'] });
    const result = await channel().send(notice, { channel: 'webhook', url: server!.url, secret: SECRET });
    expect(result).toMatchObject({ status: 'dead_lettered', attempts: 3 });
    expect(received).toHaveLength(3);
    const [letter] = await store.list();
    expect(letter).toMatchObject({ notice, attempts: 3, replays: 0 });
    expect(letter!.error).toMatch(/^HTTP_500/);

    const failedReplay = await channel().replay(letter!.id);
    expect(failedReplay.status).toBe('failed');
    expect((await store.get(letter!.id))?.replays).toBe(1);

    script = [200];
    expect(await channel().replay(letter!.id)).toEqual({ status: 'sent', attempts: 1 });
    expect(await store.count()).toBe(0);
    expect((JSON.parse(received.at(-1)!.body) as WebhookPayload).notice.alertIds).toEqual(['dl-1']);
  });

  it('when the receiver is down, connection errors are retried then dead-lettered', async () => {
    const url = server!.url;
    await server!.close();
    server = undefined;
    const result = await channel().send(sampleNotice(), { channel: 'webhook', url, secret: SECRET });
    expect(result.status).toBe('dead_lettered');
    expect(result.error).toMatch(/ECONNREFUSED/);
    expect(await store.count()).toBe(1);
  });

  it('rejects a stale or tampered signature', () => {
    const body = '{"a":1}';
    const now = Math.floor(Date.now() / 1000);
    expect(verifyWebhookSignature(signWebhook(body, SECRET, now), body, SECRET)).toBe(true);
    expect(verifyWebhookSignature(signWebhook(body, SECRET, now - 3600), body, SECRET)).toBe(false);
    expect(verifyWebhookSignature(signWebhook(body, SECRET, now), '{"a":2}', SECRET)).toBe(false);
    expect(verifyWebhookSignature('garbage', body, SECRET)).toBe(false);
  });
});
