/** Shapes produced by the extract stage; plain JSON, ready for the index stage. */

/** Language of a page: the primary subtag of `<html lang>`, or `zh`/`en`/`other` when detected. */
export type PageLanguage = string;

/** Link relations that matter to regulators and to crawl politeness. */
export type LinkRel = 'nofollow' | 'sponsored' | 'ugc';

export interface ExtractedLink {
  /** Absolute http(s) URL without fragment. */
  url: string;
  /** Anchor text (or `alt` of the image inside), whitespace normalised. */
  text: string;
  rel: LinkRel[];
  host: string;
  /** Registered domain (eTLD+1), or the host for IPs and single-label hosts. */
  domain: string;
  /** Same registered domain as the page. */
  internal: boolean;
}

/** One identifier as seen on the page and in the form used for matching. */
export interface FoundIdentifier<K extends string = string> {
  kind: K;
  /** As printed, with whitespace collapsed. */
  value: string;
  /** Upper case, no spaces, dashes or brackets: the form to match on. */
  normalised: string;
}

export type IcpKind = 'filing' | 'licence';
export type LicenceKind =
  | 'food_business'
  | 'food_production'
  | 'drug_internet_info'
  | 'drug_online_trade'
  | 'medical_device'
  | 'business_licence'
  | 'telecom_value_added'
  | 'public_security_filing';
export type PhoneKind = 'mobile' | 'landline' | 'toll_free';

export interface ExtractedIdentifiers {
  /** Unified social credit codes whose GB 32100-2015 check digit is right. */
  uscc: string[];
  /** USCC-shaped codes with a wrong check digit, seen beside a USCC/licence label (itself evidence). */
  usccInvalid: string[];
  icp: FoundIdentifier<IcpKind>[];
  licences: FoundIdentifier<LicenceKind>[];
  phones: FoundIdentifier<PhoneKind>[];
  /** Lower case. */
  emails: string[];
}

export type PriceSource = 'text' | 'json-ld' | 'microdata' | 'meta';
/** `original` is a struck-through or "原价/was" price; `low`/`high` come from an AggregateOffer. */
export type PriceKind = 'current' | 'original' | 'low' | 'high';

export interface ExtractedPrice {
  amount: number;
  /** ISO 4217 where known (`CNY`, `USD`), else what the page said. */
  currency: string;
  kind: PriceKind;
  source: PriceSource;
  /** The text or value the price was read from. */
  raw: string;
}

export type AdSlot = 'banner' | 'sponsored' | 'popup' | 'iframe' | 'text';
export type AdCategory = 'medical' | 'health_food' | 'cosmetics' | 'finance' | 'education' | 'other';

export interface ExtractedAd {
  /** sha256 (hex, 32 chars) of normalised creative text + creative source + landing URL. */
  id: string;
  creativeText: string;
  imageAlt: string | null;
  imageSrc: string | null;
  /** Source of an iframe creative (the creative itself is not fetched here). */
  frameSrc: string | null;
  /** Where the ad leads; for known click trackers, the advertiser URL decoded from the tracker. */
  landingUrl: string | null;
  /** The tracker URL the page links to, when it differs from `landingUrl`. */
  clickUrl: string | null;
  /** Registered domain of the landing URL: the advertiser. */
  landingDomain: string | null;
  slot: AdSlot;
  adNetwork?: string;
  /** Names of the rules that fired, e.g. `ad-label`, `off-site`, for explainability. */
  signals: string[];
  score: number;
  category: AdCategory;
  categoryConfidence: number;
}

export interface ExtractedPage {
  url: string;
  title: string;
  description: string;
  /** Absolute canonical URL, or null when absent or not http(s). */
  canonicalUrl: string | null;
  lang: PageLanguage;
  langSource: 'attribute' | 'detected';
  /** Visible main text: no scripts, hidden parts, navigation, footer or ads; blocks separated by `\n`. */
  text: string;
  /** Visible footer text, where licence numbers and filings usually are. */
  footerText: string;
  /** Whether `text` was cut at `maxTextChars`. */
  textTruncated: boolean;
  links: ExtractedLink[];
  identifiers: ExtractedIdentifiers;
  prices: ExtractedPrice[];
  ads: ExtractedAd[];
  /** Ad networks whose scripts or slots the page loads (even when no creative is in the HTML). */
  adNetworks: string[];
}

/** Options of `extractPage`. */
export interface ExtractOptions {
  /** Longest main text kept, in characters. @default config().EXTRACT_MAX_TEXT_CHARS (200000) */
  maxTextChars?: number;
  /** Longest footer text kept, in characters. @default 20000 */
  maxFooterChars?: number;
  /** Classify ad creatives into categories (trains the classifier on first use). @default true */
  classifyAds?: boolean;
}
