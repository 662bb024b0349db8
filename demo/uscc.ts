import { usccCheckChar } from '../indexer/extract/uscc.js';
import type { Rng } from './prng.js';

/**
 * Unified Social Credit Codes (统一社会信用代码, GB 32100-2015) for the demo operators. The check
 * character comes from the extractor's own implementation (indexer/extract/uscc.ts), so the
 * demo and the extractor agree on what "valid" means; tests pin it to real registered codes.
 */

/** The 31 characters a USCC may use (no I, O, S, V, Z), in check-digit value order. */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** GB 11714 organisation-code check character for an 8-character body. */
function orgCodeCheckChar(body: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += parseInt(body.charAt(i), 36) * (weights[i] ?? 0);
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

/**
 * A USCC for an enterprise (registration authority 9, type 1) in the given 6-digit division.
 * When `valid` is false the check character is deliberately wrong but still a USCC character.
 */
export function makeUscc(rng: Rng, divisionCode: string, valid: boolean): string {
  const orgBody = rng.chance(0.6) ? `MA${rng.chars(USCC_ALPHABET, 6)}` : rng.digits(8);
  const first17 = `91${divisionCode}${orgBody}${orgCodeCheckChar(orgBody)}`;
  const check = usccCheckChar(first17);
  if (check === null) throw new RangeError(`not a USCC body: ${first17}`);
  if (valid) return first17 + check;
  const wrong = USCC_ALPHABET.charAt((USCC_ALPHABET.indexOf(check) + rng.int(1, 30)) % 31);
  return first17 + wrong;
}
