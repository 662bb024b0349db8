import { describe, expect, it } from '@jest/globals';
import { normaliseIdentifier, normalisePhone, scoreIdentifiers } from '../../demo/evaluation.js';
import type { GroundTruth } from '../../demo/types.js';

describe('identifier scoring against the ground truth', () => {
  it('reads a phone in its national form, as extraction stores it', () => {
    expect(normalisePhone('+86 571 8123 4567')).toBe('057181234567');
    expect(normalisePhone('0086 10 8123 4567')).toBe('01081234567');
    expect(normalisePhone('+86 138 1234 5678')).toBe('13812345678');
    expect(normalisePhone('0571-81234567')).toBe('057181234567');
    expect(normalisePhone('400-123-4567')).toBe('4001234567');
  });

  it('reads a zh-TW ICP filing as the extractor stores it (備/號 as 备/号)', () => {
    expect(normaliseIdentifier('京ICP備32282707號-3')).toBe('京ICP备32282707号3');
  });

  it('an English shop showing +86 571 … matches the landline the index holds: a hit, not a miss and a stray', () => {
    const truth = {
      pages: [
        {
          host: 'shop.test',
          path: '/about',
          identifiers: [
            { type: 'phone', value: '+86 571 8123 4567' },
            { type: 'phone', value: '400-123-4567' },
          ],
        },
      ],
    } as unknown as GroundTruth;
    const score = scoreIdentifiers(truth, [
      { url: 'http://shop.test/about', identifiers: { phones: ['057181234567', '4001234567'] } },
    ]);
    expect(score.byType.phone).toMatchObject({ truePositives: 2, falsePositives: 0, falseNegatives: 0 });
  });
});
