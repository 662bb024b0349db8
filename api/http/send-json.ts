import type { Response } from 'express';

/**
 * A JSON answer serialised once and written as is: `res.json` would also turn the string into a buffer
 * and hash it for a weak ETag, which costs as much as the serialisation on a search page (~20 kB) and
 * that nobody revalidates.
 */
export function sendJson(res: Response, body: unknown): void {
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}
