import type { ReactNode } from 'react';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Decodes the HTML entities an engine highlighter may leave in escaped text. */
export function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X'))
      return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/**
 * A highlighted fragment rendered without `innerHTML`: only `<mark>` (or the engine's default `<em>`)
 * pairs become elements; every other character, tags included, is text React escapes.
 */
export function Highlight({ html }: { html: string }) {
  const parts: ReactNode[] = [];
  const pattern = /<(mark|em)>([\s\S]*?)<\/\1>/g;
  let last = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(html)) !== null) {
    if (match.index > last) parts.push(decodeEntities(html.slice(last, match.index)));
    parts.push(<mark key={match.index}>{decodeEntities(match[2] ?? '')}</mark>);
    last = match.index + match[0].length;
  }
  if (last < html.length) parts.push(decodeEntities(html.slice(last)));
  return <>{parts}</>;
}
