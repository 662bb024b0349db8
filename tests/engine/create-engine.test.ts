/** Choosing the adapter: `ENGINE=auto` asks `GET /`; credentials never leak. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEngine, detectFlavour } from '../../engine/index.js';
import { ElasticsearchAdapter } from '../../engine/adapters/elasticsearch.adapter.js';
import { OpenSearchAdapter } from '../../engine/adapters/opensearch.adapter.js';
import { resolveEngineOptions, toConnection } from '../../engine/options.js';
import { testEngineUrl } from '../support/engine.js';
import { closedPort } from './contract-fixtures.js';

interface RootServer {
  url: string;
  seen: IncomingHttpHeaders[];
  server: Server;
}

/** A real local HTTP server answering `GET /` with the given status, headers and body. */
async function rootServer(
  status: number,
  headers: Record<string, string>,
  body: unknown,
): Promise<RootServer> {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

const ES_ROOT = {
  name: 'es01',
  cluster_name: 'prod',
  version: { number: '8.15.0' },
  tagline: 'You Know, for Search',
};

describe('createEngine and detectFlavour', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  });

  it('detects the local engine as OpenSearch and builds its adapter', async () => {
    expect(await detectFlavour(testEngineUrl())).toBe('opensearch');
    const engine = await createEngine({ engine: 'auto' });
    try {
      expect(engine).toBeInstanceOf(OpenSearchAdapter);
      expect((await engine.info()).flavour).toBe('opensearch');
    } finally {
      await engine.close();
    }
  });

  it('when ENGINE=elasticsearch, uses the Elasticsearch client, which refuses an OpenSearch server', async () => {
    const engine = await createEngine({ engine: 'elasticsearch', url: testEngineUrl() });
    try {
      expect(engine).toBeInstanceOf(ElasticsearchAdapter);
      await expect(engine.info()).rejects.toMatchObject({ code: 'ENGINE_ERROR', retryable: false });
    } finally {
      await engine.close();
    }
  });

  it('detects Elasticsearch by its product header, sending URL credentials as basic auth', async () => {
    const es = await rootServer(200, { 'x-elastic-product': 'Elasticsearch' }, ES_ROOT);
    servers.push(es.server);
    const withCredentials = es.url.replace('http://', 'http://argus:s3cret@');
    expect(await detectFlavour(withCredentials)).toBe('elasticsearch');
    expect(es.seen[0]?.authorization).toBe(`Basic ${Buffer.from('argus:s3cret').toString('base64')}`);
    await detectFlavour(es.url, { apiKey: 'a2V5' });
    expect(es.seen[1]?.authorization).toBe('ApiKey a2V5');
  });

  it('when the server is neither engine, fails with ENGINE_ERROR', async () => {
    const other = await rootServer(200, {}, { hello: 'world' });
    servers.push(other.server);
    await expect(detectFlavour(other.url)).rejects.toMatchObject({ code: 'ENGINE_ERROR', retryable: false });
  });

  it('when credentials are refused, fails without echoing them', async () => {
    const secured = await rootServer(
      401,
      {},
      { error: { type: 'security_exception', reason: 'unable to authenticate' } },
    );
    servers.push(secured.server);
    const error = await detectFlavour(secured.url.replace('http://', 'http://argus:s3cret@')).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'ENGINE_ERROR', details: { type: 'security_exception' } });
    expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toContain('s3cret');
  });

  it('when nothing listens, fails with retryable ENGINE_UNAVAILABLE and no credentials in the message', async () => {
    const url = `http://argus:s3cret@127.0.0.1:${await closedPort()}`;
    const error = await detectFlavour(url).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ENGINE_UNAVAILABLE', retryable: true });
    expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toContain('s3cret');
    await expect(createEngine({ engine: 'auto', url })).rejects.toMatchObject({ code: 'ENGINE_UNAVAILABLE' });
  });

  it('fills options from config and moves URL credentials out of the URL', () => {
    const resolved = resolveEngineOptions({ url: 'http://u%40x:p%3Aw@engine:9200/' });
    expect(resolved.requestTimeoutMs).toBeGreaterThan(0);
    expect(['auto', 'opensearch', 'elasticsearch']).toContain(resolved.engine);
    expect(toConnection(resolved)).toMatchObject({
      url: 'http://engine:9200',
      auth: { username: 'u@x', password: 'p:w' },
    });
  });

  it('refuses an API key for OpenSearch with a clear error', () => {
    let thrown: unknown;
    try {
      new OpenSearchAdapter({ url: testEngineUrl(), apiKey: 'a2V5' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'VALIDATION_FAILED', details: { variable: 'ENGINE_API_KEY' } });
  });
});
