import { createHmac } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { DingTalkChannel } from '../../notify/dingtalk.channel.js';
import { WeComChannel } from '../../notify/wecom.channel.js';
import { json, sampleNotice, startServer, type LocalServer } from './notify-support.js';

const TOKEN = 'ding-token-1';
const SECRET = 'SECabc123def456';
const KEY = 'wecom-key-1';

/** Checks a request the way DingTalk's robot/send does: token, sign within an hour, markdown shape. */
function dingTalkAnswer(res: ServerResponse, url: URL, body: string, busy: { left: number }): void {
  if (url.pathname !== '/robot/send' || url.searchParams.get('access_token') !== TOKEN) {
    return json(res, 200, { errcode: 300001, errmsg: 'token is not exist' });
  }
  const timestamp = Number(url.searchParams.get('timestamp'));
  const expected = createHmac('sha256', SECRET).update(`${timestamp}\n${SECRET}`).digest('base64');
  if (Math.abs(Date.now() - timestamp) > 3_600_000 || url.searchParams.get('sign') !== expected) {
    return json(res, 200, {
      errcode: 310000,
      errmsg: 'sign not match, more: [https://ding-doc.dingtalk.com/...]',
    });
  }
  const message = JSON.parse(body) as { msgtype?: string; markdown?: { title?: unknown; text?: unknown } };
  if (
    message.msgtype !== 'markdown' ||
    typeof message.markdown?.title !== 'string' ||
    typeof message.markdown.text !== 'string'
  ) {
    return json(res, 200, { errcode: 40035, errmsg: 'missing parameter' });
  }
  if (busy.left-- > 0)
    return json(res, 200, { errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' });
  json(res, 200, { errcode: 0, errmsg: 'ok' });
}

describe('DingTalk and WeCom robots against local stand-ins', () => {
  let ding: LocalServer;
  let wecom: LocalServer;
  const dingBodies: string[] = [];
  const wecomBodies: string[] = [];
  const dingBusy = { left: 0 };

  beforeAll(async () => {
    ding = await startServer((req, res, body) => {
      dingBodies.push(body);
      dingTalkAnswer(res, new URL(req.url ?? '/', 'http://x'), body, dingBusy);
    });
    wecom = await startServer((req, res, body) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname !== '/cgi-bin/webhook/send' || url.searchParams.get('key') !== KEY) {
        return json(res, 200, { errcode: 93000, errmsg: 'invalid webhook url' });
      }
      const message = JSON.parse(body) as { msgtype?: string; markdown?: { content?: unknown } };
      const content = message.markdown?.content;
      if (
        message.msgtype !== 'markdown' ||
        typeof content !== 'string' ||
        Buffer.byteLength(content) > 4096
      ) {
        return json(res, 200, { errcode: 40058, errmsg: 'markdown.content exceed max length 4096' });
      }
      wecomBodies.push(body);
      json(res, 200, { errcode: 0, errmsg: 'ok' });
    });
  });
  afterAll(async () => {
    await ding.close();
    await wecom.close();
  });

  const dingChannel = new DingTalkChannel({ attempts: 3, backoffMs: 10 });
  const wecomChannel = new WeComChannel({ attempts: 3, backoffMs: 10 });

  it('DingTalk: a signed markdown message with @mobiles is accepted', async () => {
    const result = await dingChannel.send(sampleNotice(), {
      channel: 'dingtalk',
      url: `${ding.url}/robot/send?access_token=${TOKEN}`,
      secret: SECRET,
      atMobiles: ['13800000000'],
    });
    expect(result).toEqual({ status: 'sent', attempts: 1 });
    const message = JSON.parse(dingBodies.at(-1)!) as {
      markdown: { title: string; text: string };
      at: { atMobiles: string[] };
    };
    expect(message.markdown.text).toContain('《广告法》第九条第三项');
    expect(message.markdown.text).toContain('@13800000000');
    expect(message.at.atMobiles).toEqual(['13800000000']);
  });

  it('DingTalk: a wrong secret fails at once with errcode 310000', async () => {
    const result = await dingChannel.send(sampleNotice(), {
      channel: 'dingtalk',
      url: `${ding.url}/robot/send?access_token=${TOKEN}`,
      secret: 'SECwrong',
    });
    expect(result.status).toBe('failed');
    expect(result.attempts).toBe(1);
    expect(result.error).toMatch(/^ERRCODE_310000: sign not match/);
  });

  it('DingTalk: "send too fast" (130101) is retried until accepted', async () => {
    dingBusy.left = 2;
    const result = await dingChannel.send(sampleNotice(), {
      channel: 'dingtalk',
      url: `${ding.url}/robot/send?access_token=${TOKEN}`,
      secret: SECRET,
    });
    expect(result).toEqual({ status: 'sent', attempts: 3 });
  });

  it('WeCom: a markdown message is accepted, a long digest is cut under 4096 bytes', async () => {
    const items = Array.from({ length: 200 }, (_, i) => ({
      alertId: `a-${i}`,
      title: `店铺${i}宣称全网最低价`,
      url: `http://shop-${i}.test/`,
      hits: 1,
      at: '2025-03-01T10:00:00.000Z',
    }));
    const notice = sampleNotice({ digest: true, items, alertIds: items.map((i) => i.alertId) });
    const result = await wecomChannel.send(notice, {
      channel: 'wecom',
      url: `${wecom.url}/cgi-bin/webhook/send?key=${KEY}`,
    });
    expect(result).toEqual({ status: 'sent', attempts: 1 });
    const content = (JSON.parse(wecomBodies.at(-1)!) as { markdown: { content: string } }).markdown.content;
    expect(content).toContain('店铺0宣称全网最低价');
    expect(Buffer.byteLength(content)).toBeLessThanOrEqual(4096);
  });

  it('WeCom: a wrong key fails at once with errcode 93000', async () => {
    const result = await wecomChannel.send(sampleNotice(), {
      channel: 'wecom',
      url: `${wecom.url}/cgi-bin/webhook/send?key=nope`,
    });
    expect(result).toMatchObject({ status: 'failed', attempts: 1 });
    expect(result.error).toMatch(/^ERRCODE_93000/);
  });
});
