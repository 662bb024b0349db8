import { extractIdentifiers, isValidUscc } from '../../indexer/extract/index.js';
import { provinces } from '../../indexer/extract/identifiers.js';
import { usccCheckChar } from '../../indexer/extract/uscc.js';

/** Real, published codes (Alibaba, Tencent, China Mobile…); their check characters come from GB 32100. */
const realUscc = [
  '91330100716105852F',
  '9144030071526726XG',
  '91110000802100433B',
  '911100001000054748',
  '91110108551385082Q',
  '91110302562134916R',
  '91440300708461136T',
];

/** A resident ID number with a correct GB 11643 check digit (MOD 11-2), built here independently. */
function residentId(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((acc, ch, i) => acc + Number(ch) * (weights[i] ?? 0), 0);
  return first17 + ('10X98765432'[sum % 11] ?? '');
}

describe('isValidUscc', () => {
  test.each(realUscc)('accepts the published code %s', (code) => {
    expect(isValidUscc(code)).toBe(true);
  });

  test('ignores case, spaces and dashes', () => {
    expect(isValidUscc('91330100716105852f')).toBe(true);
    expect(isValidUscc('9133 0100 7161 0585 2F')).toBe(true);
    expect(isValidUscc('913301-007161-05852F')).toBe(true);
  });

  test.each([
    ['a wrong check character', '91330100716105852E'],
    ['two swapped characters', '91330100761105852F'],
    ['a forbidden letter (I, O, Z, S, V)', '91330100716105852I'],
    ['17 characters', '9133010071610585F'],
    ['19 characters', '91330100716105852FF'],
    ['letters in the division code', '9133A100716105852F'],
    ['an empty string', ''],
  ])('rejects %s', (_name, code) => {
    expect(isValidUscc(code)).toBe(false);
  });
});

describe('extractIdentifiers: USCC', () => {
  test('finds valid codes in labelled and unlabelled text, normalised to upper case', () => {
    const ids = extractIdentifiers(
      '公司名称：阿里巴巴（中国）有限公司 统一社会信用代码：91330100716105852f\n' +
        '深圳市腾讯计算机系统有限公司 9144030071526726XG 版权所有',
    );
    expect(ids.uscc).toEqual(['91330100716105852F', '9144030071526726XG']);
    expect(ids.usccInvalid).toEqual([]);
  });

  test('reports a labelled code with a wrong check digit as usccInvalid, not as uscc', () => {
    const ids = extractIdentifiers('统一社会信用代码：91330100716105853F');
    expect(ids.uscc).toEqual([]);
    expect(ids.usccInvalid).toEqual(['91330100716105853F']);
  });

  test('ignores an unlabelled USCC-shaped string with a wrong check digit', () => {
    expect(extractIdentifiers('批次 91330100716105853F 已发货').usccInvalid).toEqual([]);
  });

  test('ignores order numbers, even 18-digit ones that pass the check digit', () => {
    const body = '91330100716105861';
    const passing = body + (usccCheckChar(body) ?? '');
    expect(isValidUscc(passing)).toBe(true);
    const ids = extractIdentifiers(
      `订单号：${passing}\n订单编号 202403151234567890\n交易流水号：912345678901234567\nOrder #202312250000012345`,
    );
    expect(ids.uscc).toEqual([]);
    expect(ids.usccInvalid).toEqual([]);
  });

  test('ignores unlabelled 18-digit numbers that fail the check digit, and date-prefixed ones', () => {
    const failing = ['202403151234567890', '123456789012345670', '330106198812120011'];
    for (const number of failing) expect(isValidUscc(number)).toBe(false);
    const ids = extractIdentifiers(`编号 ${failing.join(' 与 ')} 以及 20240315123045123`);
    expect(ids.uscc).toEqual([]);
    expect(ids.usccInvalid).toEqual([]);
  });

  test('ignores resident ID numbers, labelled or not', () => {
    const id = residentId('11010119900307451');
    const ids = extractIdentifiers(`身份证号：${id}\n联系人 ${id}`);
    expect(ids.uscc).toEqual([]);
    expect(ids.usccInvalid).toEqual([]);
  });

  test('does not read a USCC out of a longer run of digits or letters', () => {
    expect(extractIdentifiers('X91330100716105852F 9133010071610585299 A91330100716105852FB').uscc).toEqual(
      [],
    );
  });

  test('a code after 营业执照 is also a business licence', () => {
    const ids = extractIdentifiers('营业执照注册号：91110000802100433B');
    expect(ids.uscc).toEqual(['91110000802100433B']);
    expect(ids.licences).toContainEqual({
      kind: 'business_licence',
      value: '91110000802100433B',
      normalised: '91110000802100433B',
    });
  });
});

describe('extractIdentifiers: ICP filings and licences', () => {
  test.each([
    ['京ICP备12345678号-1', 'filing', '京ICP备12345678号-1', '京ICP备12345678号1'],
    ['沪ICP证123456号', 'licence', '沪ICP证123456号', '沪ICP证123456号'],
    ['粤ICP备2021012345号', 'filing', '粤ICP备2021012345号', '粤ICP备2021012345号'],
    ['浙ICP备 18012345 号 - 3', 'filing', '浙ICP备18012345号-3', '浙ICP备18012345号3'],
    ['苏icp备16012345号', 'filing', '苏ICP备16012345号', '苏ICP备16012345号'],
    ['京ＩＣＰ备１２３４５６７８号－２', 'filing', '京ICP备12345678号-2', '京ICP备12345678号2'],
    ['经营许可证：京ICP证：030173号', 'licence', '京ICP证030173号', '京ICP证030173号'],
    ['京ICP備32282707號-3 (traditional script)', 'filing', '京ICP备32282707号-3', '京ICP备32282707号3'],
  ])('reads %s', (text, kind, value, normalised) => {
    expect(extractIdentifiers(text).icp).toEqual([{ kind, value, normalised }]);
  });

  test('knows every provincial abbreviation', () => {
    expect(provinces).toHaveLength(31);
    const text = [...provinces].map((p, i) => `${p}ICP备${10_000_000 + i}号`).join(' ');
    expect(extractIdentifiers(text).icp.map((icp) => icp.value.charAt(0))).toEqual([...provinces]);
  });

  test.each([
    ['a query link without a number', 'ICP备案查询'],
    ['a prefix that is not a province', '港ICP备12345678号 XICP备12345678号'],
    ['too few digits', '京ICP备123号'],
  ])('ignores %s', (_name, text) => {
    expect(extractIdentifiers(text).icp).toEqual([]);
  });

  test.each([
    ['食品经营许可证：JY13301060012345', 'food_business', 'JY13301060012345'],
    ['食品经营许可证 jy 23301060012345', 'food_business', 'JY23301060012345'],
    ['食品生产许可证编号：SC10644010600123', 'food_production', 'SC10644010600123'],
    ['互联网药品信息服务资格证书：(京)-经营性-2020-0001', 'drug_internet_info', '京经营性20200001'],
    ['互联网药品信息服务资格证书 （粤）－非经营性－2019－0123', 'drug_internet_info', '粤非经营性20190123'],
    ['药品网络交易服务资格：（沪）-经营性-2022-0045', 'drug_online_trade', '沪经营性20220045'],
    ['互联网药品交易服务资格证书：国A20150005', 'drug_online_trade', '国A20150005'],
    ['医疗器械经营许可证：京朝食药监械经营许20150095号', 'medical_device', '京朝食药监械经营许20150095号'],
    [
      '第二类医疗器械经营备案凭证：沪浦食药监械经营备20140116号',
      'medical_device',
      '沪浦食药监械经营备20140116号',
    ],
    [
      '医疗器械网络交易服务第三方平台备案凭证：（京）网械平台备字〔2018〕第00003号',
      'medical_device',
      '京网械平台备字2018第00003号',
    ],
    ['营业执照注册号：330100000123456', 'business_licence', '330100000123456'],
    ['增值电信业务经营许可证：京B2-20090059', 'telecom_value_added', '京B220090059'],
    ['合字B2-20090007', 'telecom_value_added', '合字B220090007'],
    ['京公网安备 11010502030143号', 'public_security_filing', '京公网安备11010502030143号'],
  ])('reads %s', (text, kind, normalised) => {
    expect(extractIdentifiers(text).licences).toContainEqual(expect.objectContaining({ kind, normalised }));
  });

  test.each([
    ['a JY number one digit short', 'JY1330106001234'],
    ['a JY number one digit long', 'JY133010600123456'],
    ['an unlabelled 15-digit number', '快递单号 330100000123456'],
    ['an unlabelled 国A number', '型号 国A20150005'],
  ])('ignores %s', (_name, text) => {
    expect(extractIdentifiers(text).licences).toEqual([]);
  });
});

describe('extractIdentifiers: phones and e-mails', () => {
  test.each([
    ['手机：13812345678', 'mobile', '13812345678'],
    ['Tel: +86 139-1234-5678', 'mobile', '13912345678'],
    ['008615012345678', 'mobile', '15012345678'],
    ['联系电话 177 0000 1234', 'mobile', '17700001234'],
    ['电话：010-62345678', 'landline', '01062345678'],
    ['(0755)83765432', 'landline', '075583765432'],
    ['（0571）8888 6666', 'landline', '057188886666'],
    ['021 5432 1098', 'landline', '02154321098'],
    ['+86 571 8195 7908', 'landline', '057181957908'],
    ['+86 10 6234 5678', 'landline', '01062345678'],
    ['客服热线：400-820-8820', 'toll_free', '4008208820'],
    ['4006-123-456', 'toll_free', '4006123456'],
    ['800 810 8888', 'toll_free', '8008108888'],
  ])('reads %s', (text, kind, normalised) => {
    expect(extractIdentifiers(text).phones).toEqual([expect.objectContaining({ kind, normalised })]);
  });

  test.each([
    ['a 14-digit order number', '订单号：13812345678901'],
    ['a labelled order number of phone length', '订单号 13912345678'],
    ['an 11-digit number that is no mobile prefix', '12345678901'],
    ['a millisecond timestamp', '1712345678901'],
    ['a US toll-free number', 'call 1-800-555-0100'],
    ['an amount', '￥13800.00'],
    ['a digit run inside a product code', 'SKU-A13812345678B'],
  ])('ignores %s', (_name, text) => {
    expect(extractIdentifiers(text).phones).toEqual([]);
  });

  test('reads e-mails, lower-cased and deduplicated, and the [at] spelling', () => {
    const ids = extractIdentifiers(
      '客服 Service@Shop.test；招商 Sales.Team+cn@example.com.cn；投诉 kefu[at]shop.test 再次 service@shop.test',
    );
    expect(ids.emails).toEqual(['service@shop.test', 'sales.team+cn@example.com.cn', 'kefu@shop.test']);
  });

  test('does not take image names or hostless strings for e-mails', () => {
    expect(extractIdentifiers('logo@2x.png icon@3x.webp user@localhost a@b.c').emails).toEqual([]);
  });
});
