import { request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { Redis } from 'ioredis';
import { config } from '../../core/config.js';
import { InAppChannel } from '../../notify/in-app.channel.js';
import { sseHandler, type SsePrincipal } from '../../notify/sse-handler.js';
import { SseHub } from '../../notify/sse-hub.js';
import { testPrefix } from '../support/ids.js';
import { sampleNotice } from './notify-support.js';

interface SseEvent {
  id?: string;
  event?: string;
  data?: string;
}

/** A minimal EventSource over node:http: collects parsed frames and comment lines. */
class SseClient {
  readonly events: SseEvent[] = [];
  comments = 0;
  status = 0;
  private response: IncomingMessage | undefined;
  private waiters: Array<() => void> = [];

  static open(url: string, headers: Record<string, string>): Promise<SseClient> {
    const client = new SseClient();
    return new Promise((resolve, reject) => {
      const req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
        client.status = res.statusCode ?? 0;
        client.response = res;
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            client.frame(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
          }
        });
        resolve(client);
      });
      req.on('error', reject);
      req.end();
    });
  }

  private frame(raw: string): void {
    const event: SseEvent = {};
    for (const line of raw.split('\n')) {
      if (line.startsWith(':')) this.comments++;
      const [field, ...rest] = line.split(': ');
      if (field === 'id' || field === 'event' || field === 'data') event[field] = rest.join(': ');
    }
    if (event.data !== undefined) this.events.push(event);
    for (const wake of this.waiters.splice(0)) wake();
  }

  async waitFor(predicate: () => boolean, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out; got ${JSON.stringify(this.events)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  titles(): string[] {
    return this.events.map((e) => (JSON.parse(e.data!) as { title: string }).title);
  }

  close(): void {
    this.response?.destroy();
  }
}

const PRINCIPALS: Record<string, SsePrincipal> = {
  west: { userId: 'u-west', scope: { city: '330100', county: '330106' } },
  east: { userId: 'u-east', scope: { city: '330100', county: '330108' }, minSeverity: 'high' },
  city: { userId: 'u-city', scope: { city: '330100' } },
};

describe('in-app SSE hub', () => {
  let redis: Redis;
  let hub: SseHub;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    redis = new Redis(config().REDIS_URL);
    hub = new SseHub(redis, { prefix: testPrefix('notify'), blockMs: 200, heartbeatMs: 100 });
    await hub.start();
    const app = express();
    app.get(
      '/stream',
      sseHandler(hub, (req) => PRINCIPALS[req.get('x-user') ?? '']),
    );
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await hub.close();
    await redis.del(hub.streamKey);
    await redis.quit();
  });

  const west = (title: string, severity: 'low' | 'high' = 'low') =>
    sampleNotice({ title, severity, jurisdiction: { city: '330100', county: '330106' } });
  const east = (title: string, severity: 'low' | 'high' = 'low') =>
    sampleNotice({ title, severity, jurisdiction: { city: '330100', county: '330108' } });

  it('a client receives only notices of its jurisdiction and severity, with heartbeats', async () => {
    const inApp = new InAppChannel(hub);
    const westClient = await SseClient.open(`${base}/stream`, { 'x-user': 'west' });
    const eastClient = await SseClient.open(`${base}/stream`, { 'x-user': 'east' });
    const cityClient = await SseClient.open(`${base}/stream`, { 'x-user': 'city' });
    expect(westClient.status).toBe(200);
    await inApp.send(west('w1'));
    await inApp.send(east('e-low'));
    await inApp.send(east('e-high', 'high'));
    await cityClient.waitFor(() => cityClient.events.length === 3);
    await westClient.waitFor(() => westClient.comments > 0);
    expect(westClient.titles()).toEqual(['w1']);
    expect(eastClient.titles()).toEqual(['e-high']);
    expect(cityClient.titles()).toEqual(['w1', 'e-low', 'e-high']);
    expect(cityClient.events.every((e) => e.event === 'alert' && /^\d+-\d+$/.test(e.id ?? ''))).toBe(true);
    for (const c of [westClient, eastClient, cityClient]) c.close();
  });

  it('a client reconnecting with Last-Event-ID gets exactly what it missed, then live events', async () => {
    const first = await SseClient.open(`${base}/stream`, { 'x-user': 'west' });
    await hub.publish(west('before-1'));
    await first.waitFor(() => first.events.length === 1);
    const lastId = first.events[0]!.id!;
    first.close();

    await hub.publish(west('missed-1'));
    await hub.publish(east('other-county', 'high'));
    await hub.publish(west('missed-2'));

    const again = await SseClient.open(`${base}/stream`, { 'x-user': 'west', 'last-event-id': lastId });
    await again.waitFor(() => again.events.length === 2);
    await hub.publish(west('live-1'));
    await again.waitFor(() => again.events.length === 3);
    expect(again.titles()).toEqual(['missed-1', 'missed-2', 'live-1']);
    again.close();
  });

  it('answers 401 without a principal and 400 for a malformed Last-Event-ID', async () => {
    const anonymous = await SseClient.open(`${base}/stream`, {});
    expect(anonymous.status).toBe(401);
    anonymous.close();
    const bad = await SseClient.open(`${base}/stream`, { 'x-user': 'west', 'last-event-id': 'yesterday' });
    expect(bad.status).toBe(400);
    bad.close();
  });
});
