/**
 * Characters a reader takes for others: Latin homoglyphs (Cyrillic, Greek, accented letters, digits,
 * letter pairs such as `rn` for `m`), the QWERTY layout, and Chinese variant characters (traditional
 * forms and look-alike characters such as 羙 for 美).
 */

/** QWERTY rows; each row sits half a key right of the one above. */
export const KEYBOARD_ROWS: readonly string[] = ['1234567890-', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

/** What each Latin letter (or letter pair) may be written as to fool the eye. */
export const HOMOGLYPHS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['a', ['\u0430', 'à', 'á', 'â', 'ã', 'ä', 'å', 'ɑ', 'ạ', 'ą']],
  ['b', ['d', 'lb', 'ʙ', 'ḃ']],
  ['c', ['\u0441', 'ϲ', 'ç', 'ć', 'e']],
  ['d', ['b', 'cl', 'dl', 'ď']],
  ['e', ['\u0435', 'é', 'è', 'ê', 'ë', 'ē', 'ė', 'ę', 'c']],
  ['g', ['q', 'ɢ', 'ġ', 'ğ']],
  ['h', ['\u04bb', 'lh', 'ĥ', 'ħ']],
  ['i', ['1', 'l', '\u0456', 'í', 'ì', 'ï', 'ı']],
  ['j', ['\u0458', 'ʝ', 'ĵ']],
  ['k', ['lk', 'ik', 'lc', 'κ', 'ķ']],
  ['l', ['1', 'i', 'ɫ', 'ł']],
  ['m', ['rn', 'nn', 'rr', 'n']],
  ['n', ['m', 'r', 'ń', 'ñ']],
  ['o', ['0', '\u043e', '\u03bf', 'ö', 'ó', 'ò', 'ø']],
  ['p', ['\u0440', 'ρ', 'þ']],
  ['q', ['g', '\u051b']],
  ['r', ['ʀ', 'ŕ']],
  ['s', ['\u0455', 'ś', 'ş', '5']],
  ['t', ['ţ', 'ť', 'ŧ']],
  ['u', ['μ', 'υ', 'ü', 'ú', 'ù']],
  ['v', ['\u0475', 'ν']],
  ['w', ['vv', '\u0461', 'ω']],
  ['x', ['\u0445', '\u04b3']],
  ['y', ['\u0443', 'ý', 'ÿ']],
  ['z', ['ʐ', 'ż', 'ź']],
  ['rn', ['m']],
  ['vv', ['w']],
  ['cl', ['d']],
  ['nn', ['m']],
  ['0', ['o']],
  ['1', ['l', 'i']],
];

/** Non-Latin look-alikes folded to their Latin letter (NFKD strips the accents of the rest). */
const SCRIPT_FOLDS: Record<string, string> = {
  '\u0430': 'a',
  '\u0441': 'c',
  '\u0435': 'e',
  '\u04bb': 'h',
  '\u0456': 'i',
  '\u0458': 'j',
  '\u043e': 'o',
  '\u03bf': 'o',
  '\u0440': 'p',
  '\u03c1': 'p',
  '\u0455': 's',
  '\u03bc': 'u',
  '\u03c5': 'u',
  '\u0475': 'v',
  '\u03bd': 'v',
  '\u0461': 'w',
  '\u03c9': 'w',
  '\u0445': 'x',
  '\u04b3': 'x',
  '\u0443': 'y',
  '\u051b': 'q',
  ɑ: 'a',
  ı: 'l',
  ł: 'l',
  ɫ: 'l',
  ø: 'o',
  '0': 'o',
  '1': 'l',
  i: 'l',
  '5': 's',
};

/**
 * A label as the eye reads it: look-alike letters folded (`rn`→`m`, `vv`→`w`, `cl`→`d`, Cyrillic а→a,
 * 0→o, 1/i→l), accents stripped, hyphens and dots dropped. Equal skeletons look alike.
 */
export function skeleton(label: string): string {
  const folded = [...label.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '')]
    .map((ch) => SCRIPT_FOLDS[ch] ?? ch)
    .join('');
  return folded.replace(/[-.]/g, '').replace(/rn/g, 'm').replace(/vv/g, 'w').replace(/cl/g, 'd');
}

/**
 * Chinese characters read as another: traditional forms and look-alikes, folded to the simplified
 * character a brand name is registered with. Small on purpose; extend through the matcher's options.
 */
export const HAN_VARIANTS: Readonly<Record<string, string>> = {
  華: '华',
  羙: '美',
  媄: '美',
  渼: '美',
  偉: '伟',
  國: '国',
  寶: '宝',
  寳: '宝',
  貨: '货',
  東: '东',
  門: '门',
  購: '购',
  買: '买',
  賣: '卖',
  電: '电',
  網: '网',
  雲: '云',
  萊: '莱',
  蘭: '兰',
  麗: '丽',
  豐: '丰',
  業: '业',
  廣: '广',
  號: '号',
  飛: '飞',
  鳳: '凤',
  龍: '龙',
  樂: '乐',
  藥: '药',
  醫: '医',
  粧: '妆',
  妝: '妆',
};

/** Folds variant Chinese characters to their registered form, one code point for one (offsets hold). */
export function foldHan(text: string, variants: Readonly<Record<string, string>> = HAN_VARIANTS): string {
  return [...text].map((ch) => variants[ch] ?? ch).join('');
}
