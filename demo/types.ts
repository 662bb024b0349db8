/**
 * The demo web's model, which is also its ground truth: the server renders every response
 * from these records, so what the ground truth says is what the pages show. Keys of the
 * ground-truth records are snake_case because they are a file format (see demo/README.md).
 */

export type Lang = 'zh-CN' | 'zh-TW' | 'en';
export type Encoding = 'utf-8' | 'utf-8-bom' | 'gbk' | 'gb18030' | 'big5';
/** Where the charset is declared: HTTP header, `<meta charset>`, `<meta http-equiv>`, both, or only a BOM. */
export type CharsetDeclaration = 'header' | 'meta' | 'http-equiv' | 'header+meta' | 'bom';
export type SiteType =
  | 'platform'
  | 'platform_shop'
  | 'self_run'
  | 'brand'
  | 'lookalike'
  | 'service_provider'
  | 'advertiser'
  | 'lab';
export type Theme =
  'tea' | 'health' | 'cosmetics' | 'digital' | 'apparel' | 'pharmacy' | 'home' | 'baby' | 'outdoor';
export type SlotKind = 'banner' | 'sponsored_listing' | 'popup' | 'iframe' | 'script';
export type AdCategory = 'medical' | 'health_food' | 'cosmetics' | 'finance' | 'education' | 'other';
export type ViolationType = 'ad_law_absolute' | 'false_health_claim' | 'missing_licence' | 'misleading_price';
export type PageKind =
  | 'home'
  | 'about'
  | 'category'
  | 'product'
  | 'cart'
  | 'admin'
  | 'directory'
  | 'rules'
  | 'service'
  | 'landing'
  | 'index';
export type IdentifierType = 'uscc' | 'icp' | 'licence' | 'phone' | 'email' | 'badge';
export type LicenceKind = 'food_business' | 'drug_info' | 'medical_device' | 'telecom_b2';

export interface ViolationTruth {
  type: ViolationType;
  /** Exact strings as they appear in the text (traditional forms on the zh-TW site). */
  terms: string[];
}

export interface LicenceTruth {
  kind: LicenceKind;
  /** Label shown before the number, e.g. 食品经营许可证. */
  label: string;
  number: string;
}

export interface DistrictHint {
  /** 6-digit administrative division code, e.g. 330106. */
  code: string;
  name: string;
}

export interface OperatorTruth {
  name: string;
  uscc: string | null;
  uscc_valid: boolean | null;
  icp: string | null;
  licences: LicenceTruth[];
  phone: string | null;
  email: string | null;
  address: string | null;
  district_hint: DistrictHint | null;
  /** Verification URL the e-business licence badge links to, if the site shows one. */
  badge_url: string | null;
}

export interface RobotsTruth {
  /** Disallow lines of the `User-agent: *` group (robots.txt syntax, `*` wildcards allowed). */
  disallow: string[];
  crawl_delay_s: number | null;
  /** Paths of the sitemaps named in robots.txt. */
  sitemaps: string[];
}

export interface SiteTruth {
  id: string;
  /** ASCII host (punycode for IDN lookalikes), no port. */
  host: string;
  unicode_host: string | null;
  /** '' for a site that owns its host; `/store/<id>` for a shop under a platform path. */
  base_path: string;
  name: string;
  lang: Lang;
  encoding: Encoding;
  /** Charset label as written (e.g. `gb2312` for GBK content, as many real sites do). */
  charset_label: string;
  charset_declared: CharsetDeclaration;
  /** Compression used when the client accepts it. */
  compression: 'gzip' | 'br' | null;
  type: SiteType;
  theme: Theme | null;
  platform_host: string | null;
  lookalike_of: string | null;
  lookalike_technique: 'typo_rn_m' | 'hyphen' | 'suffix' | 'homoglyph_punycode' | null;
  operator: OperatorTruth;
  /** Identifier kinds in the footer of every page (the about page shows all the operator has). */
  footer_shows: IdentifierType[];
  /** null when the site shares its platform's robots.txt (path-hosted shops). */
  robots: RobotsTruth | null;
  sitemap: 'urlset' | 'index' | null;
  markup: { jsonld: boolean; microdata: boolean; absolute_links: boolean };
  ad_slots: SlotKind[];
  violations: ViolationType[];
  /** Listed by the server's `seeds()`. */
  seed: boolean;
  page_count: number;
}

export interface PriceTruth {
  value: number;
  currency: 'CNY' | 'USD' | 'TWD';
  /** Struck-through "original" price, if shown. */
  original: number | null;
  /** Visible text, e.g. `¥199.00`, `$19.99`, `NT$1,280`. */
  display: string;
}

export interface IdentifierTruth {
  type: IdentifierType;
  value: string;
  /** Site id of the operator the identifier belongs to (a platform shop page shows the platform's too). */
  owner: string;
  /** For USCCs: whether the GB 32100 check character is right. */
  valid?: boolean;
}

export interface ProductTruth {
  no: number;
  name: string;
  category: string;
}

export interface PageTruth {
  host: string;
  /** Path including the site's base path; no query. */
  path: string;
  site: string;
  kind: PageKind;
  title: string;
  product: ProductTruth | null;
  /** Category slug of a category page. */
  category: string | null;
  /** The sentence carrying the page's violation terms, as rendered. */
  claim: string | null;
  violations: ViolationTruth[];
  identifiers: IdentifierTruth[];
  prices: PriceTruth[];
  /** Ids of the ad creatives shown (inline, in iframes, pop-ups, script slots). */
  ads: string[];
  disallowed: boolean;
}

export interface AdTruth {
  id: string;
  advertiser: string;
  lang: Lang;
  category: AdCategory;
  slot_kind: SlotKind;
  text: string;
  image_alt: string;
  image_src: string;
  /** Port-free landing URL (`http://host/path?query`). */
  landing_url: string;
  landing_host: string;
  landing_path: string;
  violations: ViolationTruth[];
  /** Number of pages showing this creative. */
  shown_on: number;
}

export type NegativeKind = 'onsite_promo' | 'gov_link' | 'licence_badge' | 'friend_link' | 'social_share';

export interface NegativeTruth {
  kind: NegativeKind;
  site: string;
  /** Port-free href for demo hosts; real URL for external ones. */
  href: string;
  text: string;
  page_kinds: PageKind[];
}

export interface EndpointTruth {
  /** Site id the endpoint belongs to (`lab` for the lab's). */
  site: string;
  host: string;
  path: string;
  behaviour: string;
  /** Final status a well-behaved client sees (after retries/redirects where it should follow). */
  status: number;
  description: string;
}

export interface GroundTruthSummary {
  sites: number;
  pages: number;
  ads: number;
  pages_with_violations: number;
  by_violation: Record<ViolationType, number>;
  ads_with_violations: number;
  disallowed_pages: number;
}

export interface GroundTruth {
  schema_version: 1;
  seed: number;
  options: { sites: number; pages: number; ads: number };
  brand_host: string;
  sites: SiteTruth[];
  pages: PageTruth[];
  ads: AdTruth[];
  negatives: NegativeTruth[];
  special_endpoints: EndpointTruth[];
  summary: GroundTruthSummary;
}
