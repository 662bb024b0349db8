import type { Rng } from './prng.js';
import type { DistrictHint, Lang, LicenceTruth, OperatorTruth, Theme } from './types.js';
import { makeUscc } from './uscc.js';
import { DISTRICTS, PROVINCE_ABBR, STREETS } from './vocab/operators.js';
import { themeWords } from './vocab/themes.js';

/** What the operator generator needs to know about the site it runs. */
export interface OperatorPlan {
  lang: Lang;
  theme: Theme | null;
  host: string;
  /** Distinct word for the company name (锦程, Brightpath, …). */
  word: string;
  /** Individual seller without company identifiers (the missing-licence case). */
  missing: boolean;
  invalidUscc: boolean;
  /** Industry override for sites without a theme. */
  industry?: string;
  district?: DistrictHint;
}

const AREA_CODES: Record<string, string> = { '33': '0571', '11': '010', '31': '021', '44': '0755' };
const TW_ADDRESS: Record<string, string> = {
  区: '區',
  县: '縣',
  滨: '濱',
  萧: '蕭',
  临: '臨',
  钱: '錢',
  号: '號',
};
/** Many non-city operators are registered in Hangzhou (the bureau's city); the rest elsewhere. */
const CITY_DISTRICTS = DISTRICTS.filter((d) => d.code.startsWith('3301'));

function traditional(text: string): string {
  return [...text].map((ch) => TW_ADDRESS[ch] ?? ch).join('');
}

function pickDistrict(rng: Rng): DistrictHint {
  return rng.chance(0.85) ? rng.pick(CITY_DISTRICTS) : rng.pick(DISTRICTS);
}

function companyName(plan: OperatorPlan, district: DistrictHint): string {
  const industry = plan.industry ?? (plan.theme ? themeWords(plan.lang, plan.theme).industry : '电子商务');
  if (plan.lang === 'en') return `Hangzhou ${plan.word} ${industry} Co., Ltd.`;
  return `${district.name.slice(0, 2)}${plan.word}${industry}有限公司`;
}

function icpNumber(rng: Rng, lang: Lang, abbr: string): string {
  const record = lang === 'zh-TW' ? ['備', '號'] : ['备', '号'];
  if (lang === 'zh-TW' || rng.chance(0.8))
    return `${abbr}ICP${record[0]}${rng.int(1, 9)}${rng.digits(7)}${record[1]}-${rng.int(1, 3)}`;
  return `${abbr}ICP证${rng.int(1, 9)}${rng.digits(5)}号`;
}

function licencesFor(rng: Rng, plan: OperatorPlan, district: DistrictHint, abbr: string): LicenceTruth[] {
  const year = rng.int(2016, 2024);
  if (plan.theme === 'tea' || plan.theme === 'health') {
    const label =
      plan.lang === 'zh-TW'
        ? '食品經營許可證'
        : plan.lang === 'en'
          ? 'Food Business Licence'
          : '食品经营许可证';
    return [{ kind: 'food_business', label, number: `JY1${district.code}${rng.digits(7)}` }];
  }
  if (plan.theme === 'pharmacy') {
    return [
      {
        kind: 'drug_info',
        label: '互联网药品信息服务资格证书',
        number: `(${abbr})-经营性-${year}-${rng.digits(4)}`,
      },
      {
        kind: 'medical_device',
        label: '医疗器械经营许可证',
        number: `${abbr}杭药监械经营许${year}${rng.digits(4)}号`,
      },
    ];
  }
  return [];
}

function phoneNumber(rng: Rng, lang: Lang, district: DistrictHint): string {
  const area = AREA_CODES[district.code.slice(0, 2)] ?? '0571';
  if (lang === 'en') return `+86 ${area.slice(1)} 8${rng.digits(3)} ${rng.digits(4)}`;
  return rng.chance(0.3) ? `400-${rng.int(100, 999)}-${rng.digits(4)}` : `${area}-8${rng.digits(7)}`;
}

function address(rng: Rng, lang: Lang, district: DistrictHint): string {
  const street = rng.pick(STREETS);
  const no = rng.int(1, 399);
  if (lang === 'en') return `No. ${no} ${street}, ${district.code.startsWith('33') ? 'Hangzhou' : 'China'}`;
  const text = `${district.name}${street}${no}号`;
  return lang === 'zh-TW' ? traditional(text) : text;
}

/** An operator with identifiers; `missing` gives an individual seller with a phone and nothing else. */
export function makeOperator(rng: Rng, plan: OperatorPlan): OperatorTruth {
  const district = plan.district ?? pickDistrict(rng);
  if (plan.missing) {
    return {
      name: plan.word,
      uscc: null,
      uscc_valid: null,
      icp: null,
      licences: [],
      phone: `13${rng.digits(9)}`,
      email: `kefu${rng.digits(6)}@mail.test`,
      address: null,
      district_hint: null,
      badge_url: null,
    };
  }
  const abbr = PROVINCE_ABBR[district.code.slice(0, 2)] ?? '浙';
  const uscc = makeUscc(rng, district.code, !plan.invalidUscc);
  const hasIcp = plan.lang !== 'en' || rng.chance(0.3);
  const badge = plan.lang !== 'en' && rng.chance(0.6);
  return {
    name: companyName(plan, district),
    uscc,
    uscc_valid: !plan.invalidUscc,
    icp: hasIcp ? icpNumber(rng, plan.lang, abbr) : null,
    licences: licencesFor(rng, plan, district, abbr),
    phone: phoneNumber(rng, plan.lang, district),
    email: `service@${plan.host}`,
    address: address(rng, plan.lang, district),
    district_hint: district,
    badge_url: badge ? `https://zzlz.gsxt.gov.cn/businessCheck/verifyBusinessLicence?serial=${uscc}` : null,
  };
}
