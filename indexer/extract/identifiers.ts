/**
 * Regulatory identifiers in page text: USCC (checked), ICP filings and licences, food, drug and
 * medical-device licences, business licence numbers, phones and e-mails. Text is NFKC-normalised
 * first, so full-width digits, letters and brackets read like ASCII.
 */
import { extractEmails, extractPhones } from './contacts.js';
import type { ExtractedIdentifiers, FoundIdentifier, IcpKind, LicenceKind } from './types.js';
import { hasPlausibleUsccPrefix, isValidUscc, looksLikeResidentId, normaliseUscc } from './uscc.js';

export { isValidUscc } from './uscc.js';

/** The 31 provincial abbreviations used in ICP filings and licence numbers. */
export const provinces = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';
const P = `[${provinces}]`;
const dash = '[-‐–—－]';

const usccCandidate = /(?<![0-9A-Za-z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Za-z])/gi;
const usccLabels =
  /统一社会信用代码|社会信用代码|信用代码|营业执照|执照|注册号|纳税人识别号|税号|credit\s*code|uscc|business\s*licen[cs]e/gi;
const notUsccLabels =
  /订单|单号|流水|交易号|身份证|运单|快递|物流|条码|序列号|会员|order|tracking|invoice|transaction|serial|sku/gi;
const labelWindowChars = 32;

/** Which label comes last in the window before `index`: a USCC label, a non-USCC one, or none. */
export function nearestLabel(text: string, index: number, positive: RegExp, negative: RegExp): 1 | -1 | 0 {
  const window = text.slice(Math.max(0, index - labelWindowChars), index);
  const last = (pattern: RegExp): number => {
    let at = -1;
    for (const match of window.matchAll(pattern)) at = match.index;
    return at;
  };
  const pos = last(positive);
  const neg = last(negative);
  if (pos < 0 && neg < 0) return 0;
  return pos > neg ? 1 : -1;
}

/**
 * Valid codes anywhere, unless a non-USCC label (order, ID card…) is nearer; codes with a wrong check
 * character only beside a USCC label (else an 18-digit order number would be "evidence").
 */
function findUscc(text: string): {
  valid: string[];
  invalid: string[];
  licences: FoundIdentifier<LicenceKind>[];
} {
  const valid = new Set<string>();
  const invalid = new Set<string>();
  const licences: FoundIdentifier<LicenceKind>[] = [];
  for (const match of text.matchAll(usccCandidate)) {
    const code = normaliseUscc(match[0]);
    const label = nearestLabel(text, match.index, usccLabels, notUsccLabels);
    if (label < 0) continue;
    if (isValidUscc(code)) {
      const plausible = hasPlausibleUsccPrefix(code) && !looksLikeResidentId(code);
      if (label === 0 && !plausible) continue;
      valid.add(code);
      const before = text.slice(Math.max(0, match.index - labelWindowChars), match.index);
      if (/营业执照|执照|business\s*licen[cs]e/i.test(before)) {
        licences.push({ kind: 'business_licence', value: code, normalised: code });
      }
    } else if (label > 0) {
      invalid.add(code);
    }
  }
  return { valid: [...valid], invalid: [...invalid], licences };
}

/** Filing (备) or licence (证), in simplified or traditional script (備, 證, 號). */
const icpPattern = new RegExp(
  `(${P})\\s*ICP\\s*(备|備|证|證)\\s*[:：]?\\s*(\\d{4,12})\\s*[号號]?(?:\\s*${dash}\\s*(\\d{1,4})(?!\\d))?`,
  'gi',
);

function findIcp(text: string): FoundIdentifier<IcpKind>[] {
  const found: FoundIdentifier<IcpKind>[] = [];
  for (const m of text.matchAll(icpPattern)) {
    const [, province = '', written = '', number = '', sequence] = m;
    const type = written === '证' || written === '證' ? '证' : '备';
    const suffix = sequence === undefined ? '' : `-${sequence}`;
    const value = `${province}ICP${type}${number}号${suffix}`;
    found.push({ kind: type === '证' ? 'licence' : 'filing', value, normalised: normaliseId(value) });
  }
  return found;
}

interface LicencePattern {
  kind: LicenceKind | ((text: string, index: number) => LicenceKind);
  pattern: RegExp;
  /** Only count a match when this label is in the window before it. */
  label?: RegExp;
}

const drugKind = (text: string, index: number): LicenceKind =>
  /交易/.test(text.slice(Math.max(0, index - labelWindowChars), index))
    ? 'drug_online_trade'
    : 'drug_internet_info';

const licencePatterns: LicencePattern[] = [
  { kind: 'food_business', pattern: /(?<![0-9A-Za-z])JY\s?[1-3]\d{13}(?!\d)/gi },
  { kind: 'food_production', pattern: /(?<![0-9A-Za-z])SC\s?[1-9]\d{13}(?!\d)/gi },
  {
    kind: drugKind,
    pattern: new RegExp(
      `[(（]\\s*${P}\\s*[)）]\\s*${dash}?\\s*(?:非经营性|经营性)\\s*${dash}\\s*\\d{4}\\s*${dash}\\s*\\d{4}`,
      'g',
    ),
  },
  {
    kind: 'drug_online_trade',
    pattern: new RegExp(
      `[(（]\\s*${P}\\s*[)）]\\s*网药平台备字\\s*[〔\\[(（【]?\\s*\\d{4}\\s*[〕\\])）】]?\\s*第?\\s*\\d{3,8}号`,
      'g',
    ),
  },
  {
    kind: 'drug_online_trade',
    pattern: new RegExp(`(?<![0-9A-Za-z])[国${provinces}][ABC]\\d{8}(?!\\d)`, 'g'),
    label: /药品.{0,12}交易|交易服务资格/,
  },
  {
    kind: 'medical_device',
    pattern: new RegExp(
      `${P}[\\u4e00-\\u9fa5]{0,4}?食?药监械(?:经营|生产|网络销售|网)?[许备]\\s*\\d{8}\\s*号`,
      'g',
    ),
  },
  {
    kind: 'medical_device',
    pattern: new RegExp(
      `[(（]\\s*${P}\\s*[)）]\\s*网械平台备字\\s*[〔\\[(（【]?\\s*\\d{4}\\s*[〕\\])）】]?\\s*第?\\s*\\d{3,8}号`,
      'g',
    ),
  },
  {
    kind: 'telecom_value_added',
    pattern: new RegExp(`(?:${P}|合字)\\s*B[12]\\s*${dash}\\s*\\d{8}(?!\\d)`, 'g'),
  },
  {
    kind: 'public_security_filing',
    pattern: new RegExp(`${P}\\s*公网安备\\s*[:：]?\\s*\\d{14}\\s*号?`, 'g'),
  },
  {
    kind: 'business_licence',
    pattern: /(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])/g,
    label: /营业执照|注册号|business\s*licen[cs]e/i,
  },
];

function findLicences(text: string): FoundIdentifier<LicenceKind>[] {
  const found: FoundIdentifier<LicenceKind>[] = [];
  for (const { kind, pattern, label } of licencePatterns) {
    for (const m of text.matchAll(pattern)) {
      if (label && !label.test(text.slice(Math.max(0, m.index - labelWindowChars), m.index))) continue;
      const value = m[0].replace(/\s+/g, '').toUpperCase();
      found.push({
        kind: typeof kind === 'function' ? kind(text, m.index) : kind,
        value,
        normalised: normaliseId(value),
      });
    }
  }
  return found;
}

/** Upper case without whitespace, dashes, brackets or colons: the form identifiers are matched on. */
export function normaliseId(value: string): string {
  return value
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-‐–—－()（）〔〕[\]【】:：]/g, '');
}

function dedupe<K extends string>(items: FoundIdentifier<K>[]): FoundIdentifier<K>[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = `${item.kind}:${item.normalised}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** All identifiers in `text` (main text, footer, mailto/tel targets…), deduplicated by normalised form. */
export function extractIdentifiers(text: string): ExtractedIdentifiers {
  const normal = text.normalize('NFKC');
  const uscc = findUscc(normal);
  return {
    uscc: uscc.valid,
    usccInvalid: uscc.invalid,
    icp: dedupe(findIcp(normal)),
    licences: dedupe([...uscc.licences, ...findLicences(normal)]),
    phones: extractPhones(normal),
    emails: extractEmails(normal),
  };
}
