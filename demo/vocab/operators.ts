import type { DistrictHint } from '../types.js';

/** Divisions operators are registered in: mostly the city (杭州) with a few from elsewhere. */
export const DISTRICTS: DistrictHint[] = [
  { code: '330102', name: '杭州市上城区' },
  { code: '330105', name: '杭州市拱墅区' },
  { code: '330106', name: '杭州市西湖区' },
  { code: '330108', name: '杭州市滨江区' },
  { code: '330109', name: '杭州市萧山区' },
  { code: '330110', name: '杭州市余杭区' },
  { code: '330111', name: '杭州市富阳区' },
  { code: '330112', name: '杭州市临安区' },
  { code: '330113', name: '杭州市临平区' },
  { code: '330114', name: '杭州市钱塘区' },
  { code: '330122', name: '杭州市桐庐县' },
  { code: '330127', name: '杭州市淳安县' },
  { code: '330182', name: '杭州市建德市' },
  { code: '110105', name: '北京市朝阳区' },
  { code: '310115', name: '上海市浦东新区' },
  { code: '440305', name: '深圳市南山区' },
];

/** Province abbreviation (ICP prefix) by the first two digits of a division code. */
export const PROVINCE_ABBR: Record<string, string> = { '33': '浙', '11': '京', '31': '沪', '44': '粤' };

export const STREETS = ['文三路', '莫干山路', '江南大道', '西溪路', '天目山路', '建国路', '解放路', '金城路'];

/** Words for company and shop names; each operator takes a distinct one while they last. */
export const ZH_NAME_WORDS = [
  '锦程',
  '优品',
  '恒泰',
  '鑫源',
  '瑞丰',
  '嘉禾',
  '万家',
  '百川',
  '星辰',
  '云帆',
  '汇德',
  '博远',
  '康宁',
  '润泽',
  '天成',
  '明达',
  '安信',
  '宏图',
  '晨光',
  '青禾',
  '拾光',
  '南山',
  '知行',
  '融通',
];

export const EN_NAME_WORDS = [
  'Brightpath',
  'Lumen',
  'Northwind',
  'Maple',
  'Harbor',
  'Cedar',
  'Summit',
  'Bluebird',
  'Oakline',
  'Riverstone',
  'Juniper',
  'Silverleaf',
];

export const TW_NAME_WORDS = ['茗香', '山嵐', '雲頂', '清韻'];
