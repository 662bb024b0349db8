import { parseConfig } from '../../core/config.js';

describe('config', () => {
  test('when nothing is set, every default works on a fresh machine', () => {
    const config = parseConfig({});
    expect(config.ENGINE_URL).toBe('http://127.0.0.1:9200');
    expect(config.INDEX_PREFIX).toBe('argus');
    expect(Object.isFrozen(config)).toBe(true);
  });

  test('when a variable is bad, the one-line error names it', () => {
    expect(() => parseConfig({ ENGINE_URL: 'not a url' })).toThrow(/^Bad config: ENGINE_URL: .*"not a url"/);
    expect(() => parseConfig({ INDEX_PREFIX: 'Upper' })).toThrow(/^Bad config: INDEX_PREFIX:/);
    expect(() => parseConfig({ ENGINE_PORT: '70000' })).toThrow(/^Bad config: ENGINE_PORT:/);
    expect(() => parseConfig({ ENGINE: 'solr' })).toThrow(/^Bad config: ENGINE:/);
  });

  test('when numbers come as strings, they are coerced', () => {
    expect(parseConfig({ CRAWL_CONCURRENCY: '64' }).CRAWL_CONCURRENCY).toBe(64);
  });
});
