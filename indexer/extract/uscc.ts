/**
 * Unified social credit codes (统一社会信用代码, GB 32100-2015): 18 characters = registration
 * authority (1) + entity type (1) + administrative division (6 digits) + organisation code (9) +
 * check character (1), over the alphabet 0-9 A-H J-N P-R T U W-Y (no I, O, Z, S, V).
 */

const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** 3^i mod 31, the weights of positions 1…17. */
const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const shape = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/** The check character the first 17 characters call for, or null when they are not in the alphabet. */
export function usccCheckChar(first17: string): string | null {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = alphabet.indexOf(first17.charAt(i));
    if (value < 0) return null;
    sum += value * (weights[i] as number);
  }
  return alphabet.charAt((31 - (sum % 31)) % 31);
}

/** Normalised form of a candidate: upper case, spaces and dashes removed. */
export function normaliseUscc(code: string): string {
  return code
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-‐–—]/g, '');
}

/** Whether `code` has the USCC shape (whatever its check character). */
export function hasUsccShape(code: string): boolean {
  return shape.test(normaliseUscc(code));
}

/** Whether `code` is a USCC whose check character is right (GB 32100-2015). Case and dashes ignored. */
export function isValidUscc(code: string): boolean {
  const normal = normaliseUscc(code);
  if (!shape.test(normal)) return false;
  return usccCheckChar(normal.slice(0, 17)) === normal.charAt(17);
}

/**
 * Registration authority 1-9, A, N or Y; entity type 1-9; a division code starting 1-8. Numbers
 * such as `2024…` order numbers fail here (type `0`), which keeps unlabeled lookalikes out.
 */
export function hasPlausibleUsccPrefix(code: string): boolean {
  return /^[1-9ANY][1-9][1-8]/.test(normaliseUscc(code));
}

const idWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const idCheck = '10X98765432';

/** Whether an 18-character string is a resident identity number (GB 11643: MOD 11-2 check, real birth date). */
export function looksLikeResidentId(code: string): boolean {
  if (!/^\d{17}[\dX]$/.test(code)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(code.charAt(i)) * (idWeights[i] as number);
  if (idCheck.charAt(sum % 11) !== code.charAt(17)) return false;
  const year = Number(code.slice(6, 10));
  const month = Number(code.slice(10, 12));
  const day = Number(code.slice(12, 14));
  return year >= 1900 && year <= 2100 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}
