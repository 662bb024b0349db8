/**
 * Human-readable forms of an {@link AlertNotice}, in Chinese and English: a subject line, plain
 * text and HTML for email, Markdown for the DingTalk and WeCom robots.
 */
import type { AlertNotice, DigestItem, Severity } from './types.js';

export type Lang = 'zh' | 'en';

const SEVERITY_LABEL: Record<Lang, Record<Severity, string>> = {
  zh: { low: '低', medium: '中', high: '高', critical: '严重' },
  en: { low: 'low', medium: 'medium', high: 'high', critical: 'critical' },
};

const LABELS = {
  zh: {
    alert: '预警',
    digest: '预警汇总',
    rule: '规则',
    severity: '级别',
    category: '类别',
    legalBasis: '法律依据',
    hits: '命中次数',
    url: '链接',
    alerts: '条预警',
    window: '时段',
  },
  en: {
    alert: 'Alert',
    digest: 'Alert digest',
    rule: 'Rule',
    severity: 'Severity',
    category: 'Category',
    legalBasis: 'Legal basis',
    hits: 'Hits',
    url: 'Link',
    alerts: 'alerts',
    window: 'Window',
  },
} as const;

function fields(notice: AlertNotice, lang: Lang): Array<[string, string]> {
  const l = LABELS[lang];
  const rows: Array<[string, string]> = [
    [l.rule, notice.ruleName],
    [l.severity, SEVERITY_LABEL[lang][notice.severity]],
    [l.category, notice.category],
  ];
  if (notice.legalBasis) rows.push([l.legalBasis, notice.legalBasis]);
  rows.push([l.hits, String(notice.hits)]);
  if (notice.windowStart && notice.windowEnd)
    rows.push([l.window, `${notice.windowStart} – ${notice.windowEnd}`]);
  if (notice.url) rows.push([l.url, notice.url]);
  return rows;
}

function items(notice: AlertNotice): DigestItem[] {
  return notice.digest ? (notice.items ?? []) : [];
}

/** `[Argus 预警/高] 最佳 absolute terms: title` (both languages in one line). */
export function renderSubject(notice: AlertNotice): string {
  const zh = notice.digest
    ? `${LABELS.zh.digest} ${notice.alertIds.length} ${LABELS.zh.alerts}`
    : LABELS.zh.alert;
  const en = notice.digest ? `${notice.alertIds.length} ${LABELS.en.alerts}` : LABELS.en.alert;
  return `[Argus ${zh}/${en}·${SEVERITY_LABEL.zh[notice.severity]}] ${notice.ruleName}: ${notice.title}`;
}

function textPart(notice: AlertNotice, lang: Lang): string {
  const l = LABELS[lang];
  const head = notice.digest ? `${l.digest}: ${notice.title}` : `${l.alert}: ${notice.title}`;
  const lines = [head, '', notice.summary, '', ...fields(notice, lang).map(([k, v]) => `${k}: ${v}`)];
  const list = items(notice);
  if (list.length > 0) {
    lines.push('');
    for (const item of list) lines.push(`- ${item.title} (${item.hits}) ${item.url ?? ''}`.trimEnd());
  }
  return lines.join('\n');
}

/** Plain text, both languages, `lang` first. */
export function renderText(notice: AlertNotice, lang: Lang = 'zh'): string {
  const order: Lang[] = lang === 'zh' ? ['zh', 'en'] : ['en', 'zh'];
  return order.map((l) => textPart(notice, l)).join('\n\n----\n\n') + '\n';
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function safeHref(url: string): string | undefined {
  return /^https?:\/\//i.test(url) ? escapeHtml(url) : undefined;
}

function link(title: string, url: string | undefined): string {
  const href = url ? safeHref(url) : undefined;
  return href ? `<a href="${href}">${escapeHtml(title)}</a>` : escapeHtml(title);
}

function htmlPart(notice: AlertNotice, lang: Lang): string {
  const l = LABELS[lang];
  const rows = fields(notice, lang)
    .map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
    .join('');
  const list = items(notice)
    .map((item) => `<li>${link(item.title, item.url)} (${item.hits})</li>`)
    .join('');
  return [
    `<section lang="${lang === 'zh' ? 'zh-CN' : 'en'}">`,
    `<h2>${escapeHtml(notice.digest ? l.digest : l.alert)}: ${escapeHtml(notice.title)}</h2>`,
    `<p>${escapeHtml(notice.summary)}</p>`,
    `<table>${rows}</table>`,
    list ? `<ul>${list}</ul>` : '',
    '</section>',
  ].join('\n');
}

/** An HTML document, both languages, `lang` first; every value escaped, only http(s) links. */
export function renderHtml(notice: AlertNotice, lang: Lang = 'zh'): string {
  const order: Lang[] = lang === 'zh' ? ['zh', 'en'] : ['en', 'zh'];
  const body = order.map((l) => htmlPart(notice, l)).join('\n<hr>\n');
  return `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(renderSubject(notice))}</title></head><body>\n${body}\n</body></html>\n`;
}

function mdEscape(value: string): string {
  return value.replace(/([\\`*_[\]<>#])/g, '\\$1');
}

/** Cuts `text` to at most `maxBytes` of UTF-8 without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let out = '';
  let bytes = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char);
    if (bytes + size > maxBytes - 4) break;
    out += char;
    bytes += size;
  }
  return `${out}\n…`;
}

/** Markdown for the robots (Chinese labels), at most `maxBytes` of UTF-8 (WeCom allows 4096). */
export function renderMarkdown(notice: AlertNotice, maxBytes = 4000): string {
  const zh = LABELS.zh;
  const head = `### ${notice.digest ? zh.digest : zh.alert} · ${mdEscape(notice.title)}`;
  const rows = fields(notice, 'zh').map(([k, v]) =>
    k === zh.url ? `> **${k}**: [${mdEscape(v)}](${v})` : `> **${k}**: ${mdEscape(v)}`,
  );
  const lines = [head, '', mdEscape(notice.summary), '', ...rows];
  for (const item of items(notice)) {
    const label = mdEscape(item.title);
    lines.push(item.url ? `- [${label}](${item.url}) (${item.hits})` : `- ${label} (${item.hits})`);
  }
  return truncateUtf8(lines.join('\n'), maxBytes);
}
