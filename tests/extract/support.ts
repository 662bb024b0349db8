import { readFileSync } from 'node:fs';

/** A fixture page under tests/extract/fixtures/. */
export function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

/** A minimal HTML document around `body`, with an optional head. */
export function page(body: string, head = '<title>Test</title>', htmlAttrs = ''): string {
  return `<!DOCTYPE html><html${htmlAttrs ? ` ${htmlAttrs}` : ''}><head>${head}</head><body>${body}</body></html>`;
}
