/**
 * The API's HTTP server. Beyond `app.listen`, it answers the requests Node's parser refuses before
 * Express sees them (a raw non-ASCII character in the URL, as `curl '…?q=最佳'` sends it; oversized
 * headers; a garbled request line) in the API's JSON error shape, with a code and a hint, where Node
 * would write a bare `400` and close the socket.
 */
import { createServer, STATUS_CODES, type RequestListener, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { logger } from '../../core/logger.js';

/** A parser refusal as the API's error: status, code, message. */
interface ClientErrorAnswer {
  status: number;
  code: string;
  message: string;
}

/** What to answer for a `clientError` of Node's HTTP server (`error.code` is llhttp's or Node's). */
function clientErrorAnswer(error: Error & { code?: string }): ClientErrorAnswer {
  switch (error.code) {
    case 'HPE_INVALID_URL':
      return {
        status: 400,
        code: 'MALFORMED_URL',
        message:
          'The URL holds a character HTTP does not allow (a raw non-ASCII character or a space): ' +
          "percent-encode it, e.g. curl -G --data-urlencode 'q=最佳' …/api/search",
      };
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, code: 'HEADERS_TOO_LARGE', message: 'The request headers are too large' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, code: 'REQUEST_TIMEOUT', message: 'The request did not arrive in time' };
    default:
      return { status: 400, code: 'MALFORMED_HTTP', message: `Malformed HTTP request: ${error.message}` };
  }
}

function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  // A reset connection, or one whose answer has begun, has nobody to tell.
  if (error.code === 'ECONNRESET' || !socket.writable || socket.bytesWritten > 0) {
    socket.destroy();
    return;
  }
  const { status, code, message } = clientErrorAnswer(error);
  logger('api').info(
    { code, parserCode: error.code, remote: socket.remoteAddress },
    'refused malformed HTTP',
  );
  const body = JSON.stringify({ error: { code, message } });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      'X-Content-Type-Options: nosniff\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}

/** The server of `app`, answering parser refusals as above (not yet listening). */
export function apiServer(app: RequestListener): Server {
  return createServer(app).on('clientError', answerClientError);
}

/** Serves `app` on `port` and `host`; resolves once it listens. */
export function listenApi(app: RequestListener, port: number, host: string): Promise<Server> {
  const server = apiServer(app);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
