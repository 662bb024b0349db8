/** The parts of a page whose change makes a new version. */
export interface ComparablePage {
  title?: string;
  description?: string;
  text?: string;
  prices?: Array<{ amount: number; currency: string; source: string }>;
  identifiers?: Record<string, string[]>;
}

export interface PageDiff {
  summary: string;
  added_chars: number;
  removed_chars: number;
  changed_fields: string[];
}

const SENTENCE_END = /(?<=[。！？!?；;])|\n|(?<=\.)\s/u;

function sentences(text: string | undefined): Set<string> {
  return new Set(
    (text ?? '')
      .split(SENTENCE_END)
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
  );
}

/**
 * What changed between two fetches, by sentence: enough to tell an inspector "the price line and two
 * claims were added" without storing a full diff (page-versions keeps each version's text for that).
 */
export function summariseChange(before: ComparablePage | undefined, after: ComparablePage): PageDiff {
  if (!before)
    return {
      summary: 'first fetch',
      added_chars: after.text?.length ?? 0,
      removed_chars: 0,
      changed_fields: [],
    };
  const changed = (['title', 'description', 'text', 'prices', 'identifiers'] as const).filter(
    (field) => JSON.stringify(before[field] ?? null) !== JSON.stringify(after[field] ?? null),
  );
  const old = sentences(before.text);
  const now = sentences(after.text);
  const added = [...now].filter((s) => !old.has(s));
  const removed = [...old].filter((s) => !now.has(s));
  const parts = [
    ...added.slice(0, 3).map((s) => `+ ${s.slice(0, 120)}`),
    ...removed.slice(0, 3).map((s) => `- ${s.slice(0, 120)}`),
  ];
  return {
    summary: parts.length > 0 ? parts.join('\n') : `changed: ${changed.join(', ') || 'markup only'}`,
    added_chars: added.reduce((n, s) => n + s.length, 0),
    removed_chars: removed.reduce((n, s) => n + s.length, 0),
    changed_fields: [...changed],
  };
}
