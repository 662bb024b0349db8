/** Phones (CN mobile, landline with area code, 400/800) and e-mail addresses in NFKC text. */
import type { FoundIdentifier, PhoneKind } from './types.js';

const notPhoneLabels =
  /订单|单号|流水|交易号|运单|快递单|物流单|身份证|条码|序列号|order|tracking|invoice|serial|sku|id[:：#]/i;
const phoneLabelWindowChars = 12;

const mobile = /(?<![\w+\-.])(?:(?:\+|00)?86[-\s]?)?(1[3-9]\d)[-\s]?(\d{4})[-\s]?(\d{4})(?![\d])/g;
const tollFree = /(?<![\w+\-.])([48]00(?:[-\s]?\d){7})(?![\d])/g;
const landline =
  /(?<![\w+\-.])(?:(?:\+|00)?86[-\s]?)?(?:[(（]\s*)?(0(?:10|2\d|[3-9]\d{2}))(?:\s*[)）])?[-\s]?([2-9]\d{2,3})[-\s]?(\d{4})(?![\d])/g;

function phoneMatches(
  text: string,
  kind: PhoneKind,
  pattern: RegExp,
  digits: (m: RegExpExecArray) => string,
): FoundIdentifier<PhoneKind>[] {
  const found: FoundIdentifier<PhoneKind>[] = [];
  for (const m of text.matchAll(pattern)) {
    const before = text.slice(Math.max(0, m.index - phoneLabelWindowChars), m.index);
    if (notPhoneLabels.test(before)) continue;
    found.push({ kind, value: m[0].replace(/\s+/g, ' ').trim(), normalised: digits(m) });
  }
  return found;
}

/** International form of a landline: +86, then the area code without its trunk 0. */
const intlLandline =
  /(?<![\w+\-.])(?:\+|00)86[-\s]?(?:\(\s*0?\s*\))?(10|2\d|[3-9]\d{2})[-\s]?([2-9]\d{2,3})[-\s]?(\d{4})(?![\d])/g;

/** Phones, normalised to digits only (no +86, no separators; landlines with their trunk 0), deduplicated. */
export function extractPhones(text: string): FoundIdentifier<PhoneKind>[] {
  const all = [
    ...phoneMatches(text, 'mobile', mobile, (m) => `${m[1]}${m[2]}${m[3]}`),
    ...phoneMatches(text, 'toll_free', tollFree, (m) => (m[1] ?? '').replace(/\D/g, '')),
    ...phoneMatches(text, 'landline', landline, (m) => `${m[1]}${m[2]}${m[3]}`),
    ...phoneMatches(text, 'landline', intlLandline, (m) => `0${m[1]}${m[2]}${m[3]}`),
  ];
  const seen = new Set<string>();
  return all.filter((phone) => {
    if (seen.has(phone.normalised)) return false;
    seen.add(phone.normalised);
    return true;
  });
}

const email =
  /(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])/g;
const fileExtensions = new Set([
  'png',
  'jpg',
  'jpeg',
  'gif',
  'webp',
  'svg',
  'css',
  'js',
  'ico',
  'bmp',
  'avif',
]);

/** E-mail addresses, lower case, deduplicated; `name[at]host` and `name(at)host` are read as `@`. */
export function extractEmails(text: string): string[] {
  const deobfuscated = text.replace(/\s*[[(（【]\s*at\s*[\])）】]\s*/gi, '@');
  const found = new Set<string>();
  for (const m of deobfuscated.matchAll(email)) {
    const address = m[0].toLowerCase().replace(/\.+$/, '');
    const tld = address.slice(address.lastIndexOf('.') + 1);
    if (fileExtensions.has(tld)) continue;
    if (address.includes('..')) continue;
    found.add(address);
  }
  return [...found];
}
