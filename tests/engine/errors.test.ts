/** Engine failures → AppErrors, with the clients' own error classes. */
import { errors as esErrors } from '@elastic/elasticsearch';
import { errors as osErrors } from '@opensearch-project/opensearch';
import { AppError, errorCode, isRetryable, ThrottledError } from '../../core/errors.js';
import { engineErrorFromResponse, redactSecrets, toEngineError } from '../../engine/errors.js';

const context = { operation: 'search', index: 'argus-pages' };

/** A response error as each client raises it for `status` and `body`. */
function responseErrors(status: number, body: unknown): Array<[string, Error]> {
  const meta = { statusCode: status, body, headers: {}, warnings: null, meta: {} };
  // The clients' meta types describe a full diagnostic; only status and body matter to the mapping.
  return [
    [
      'OpenSearch',
      new osErrors.ResponseError(meta as unknown as ConstructorParameters<typeof osErrors.ResponseError>[0]),
    ],
    [
      'Elasticsearch',
      new esErrors.ResponseError(meta as unknown as ConstructorParameters<typeof esErrors.ResponseError>[0]),
    ],
  ];
}

const BAD_QUERY = {
  error: {
    root_cause: [{ type: 'parsing_exception', reason: 'unknown query [nope]' }],
    type: 'parsing_exception',
    reason: 'unknown query [nope]',
    caused_by: { type: 'named_object_not_found_exception', reason: '[1:18] unknown field [nope]' },
  },
  status: 400,
};

describe('engine error mapping', () => {
  it.each([
    [429, 'ENGINE_THROTTLED', true, 503],
    [503, 'ENGINE_UNAVAILABLE', true, 503],
    [504, 'ENGINE_UNAVAILABLE', true, 503],
    [409, 'ENGINE_VERSION_CONFLICT', false, 409],
    [404, 'ENGINE_NOT_FOUND', false, 404],
    [400, 'ENGINE_BAD_REQUEST', false, 400],
    [401, 'ENGINE_ERROR', false, 500],
    [500, 'ENGINE_ERROR', false, 500],
  ])(
    'when the engine answers %i, both clients map to %s (retryable %s)',
    (status, code, retryable, httpStatus) => {
      for (const [, error] of responseErrors(status, {
        error: { type: 'some_exception', reason: 'why' },
        status,
      })) {
        const mapped = toEngineError(error, context);
        expect(mapped).toBeInstanceOf(AppError);
        expect(mapped).toMatchObject({ code, retryable, httpStatus });
        expect(mapped.message).toContain('search on argus-pages');
        expect(mapped.message).toContain('some_exception: why');
      }
    },
  );

  it('makes throttling a ThrottledError, so queues back off', () => {
    const mapped = engineErrorFromResponse(
      429,
      { error: { type: 'es_rejected_execution_exception' } },
      context,
    );
    expect(mapped).toBeInstanceOf(ThrottledError);
  });

  it('keeps the root cause of a bad request in details', () => {
    for (const [, error] of responseErrors(400, BAD_QUERY)) {
      expect(toEngineError(error, context).details).toEqual({
        operation: 'search',
        index: 'argus-pages',
        status: 400,
        type: 'parsing_exception',
        reason: 'unknown query [nope]',
        rootCause: [{ type: 'parsing_exception', reason: 'unknown query [nope]' }],
        causedBy: { type: 'named_object_not_found_exception', reason: '[1:18] unknown field [nope]' },
      });
    }
  });

  it('reads plain-text errors such as "no handler found"', () => {
    const mapped = engineErrorFromResponse(
      400,
      { error: 'no handler found for uri [/x/_pit]', status: 400 },
      context,
    );
    expect(mapped).toMatchObject({
      code: 'ENGINE_BAD_REQUEST',
      details: { reason: 'no handler found for uri [/x/_pit]' },
    });
  });

  it.each([
    ['OpenSearch ConnectionError', new osErrors.ConnectionError('connect ECONNREFUSED 127.0.0.1:1')],
    ['OpenSearch NoLivingConnectionsError', new osErrors.NoLivingConnectionsError('no living', {} as never)],
    ['Elasticsearch ConnectionError', new esErrors.ConnectionError('connect ECONNREFUSED 127.0.0.1:1')],
    ['Elasticsearch TimeoutError', new esErrors.TimeoutError('Request timed out')],
    [
      'fetch failure',
      new TypeError('fetch failed', { cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }) }),
    ],
  ])('when the client reports %s, says ENGINE_UNAVAILABLE and retryable', (_name, error) => {
    expect(toEngineError(error, context)).toMatchObject({ code: 'ENGINE_UNAVAILABLE', retryable: true });
  });

  it('when the server is not Elasticsearch, says so without retrying', () => {
    const error = new esErrors.ProductNotSupportedError('Elasticsearch', {
      body: {},
      statusCode: 200,
    } as never);
    const mapped = toEngineError(error, context);
    expect(mapped).toMatchObject({ code: 'ENGINE_ERROR', retryable: false });
    expect(mapped.message).toContain('not Elasticsearch');
  });

  it('never carries credentials in messages, details or JSON', () => {
    const leaky = new esErrors.ConnectionError(
      'connect ECONNREFUSED http://argus:s3cret@10.0.0.1:9200/_search',
    );
    const mapped = toEngineError(leaky, context);
    const reason = engineErrorFromResponse(
      401,
      { error: 'authorization: Basic YXJndXM6czNjcmV0 refused' },
      context,
    );
    for (const error of [mapped, reason]) {
      const text = `${error.message} ${JSON.stringify(error)}`;
      expect(text).not.toContain('s3cret');
      expect(text).not.toContain('YXJndXM6czNjcmV0');
    }
    expect(mapped.cause).toBeUndefined();
    expect(redactSecrets('https://u:p@host:9200/x')).toBe('https://***@host:9200/x');
  });

  it('survives a JSON round-trip through a queue with its code and retryability', () => {
    const [[, error]] = responseErrors(503, {
      error: { type: 'unavailable_shards_exception', reason: 'x' },
    }) as [[string, Error]];
    const revived: unknown = JSON.parse(JSON.stringify(toEngineError(error, context)));
    expect(errorCode(revived)).toBe('ENGINE_UNAVAILABLE');
    expect(isRetryable(revived)).toBe(true);
  });

  it('passes AppErrors through unchanged', () => {
    const original = new ThrottledError('busy', { code: 'ENGINE_THROTTLED' });
    expect(toEngineError(original, context)).toBe(original);
  });
});
