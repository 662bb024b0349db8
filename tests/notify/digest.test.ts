import { aggregateDigests, digestWindow } from '../../notify/digest.js';
import { sampleNotice } from './notify-support.js';

const HOUR = 3_600_000;

describe('digest aggregation', () => {
  it('groups notices of one rule within one interval into one digest listing every alert', () => {
    const out = aggregateDigests(
      [
        {
          notice: sampleNotice({ alertIds: ['a1'], hits: 2, severity: 'medium' }),
          at: '2025-03-01T10:05:00Z',
        },
        {
          notice: sampleNotice({ alertIds: ['a2'], hits: 3, severity: 'critical' }),
          at: '2025-03-01T10:55:00Z',
        },
      ],
      { intervalMs: HOUR },
    );
    expect(out).toHaveLength(1);
    const [digest] = out;
    expect(digest).toMatchObject({
      digest: true,
      alertIds: ['a1', 'a2'],
      hits: 5,
      severity: 'critical',
      windowStart: '2025-03-01T10:00:00.000Z',
      windowEnd: '2025-03-01T11:00:00.000Z',
    });
    expect(digest?.items?.map((i) => i.alertId)).toEqual(['a1', 'a2']);
  });

  it('keeps different rules, jurisdictions and intervals apart', () => {
    const out = aggregateDigests(
      [
        { notice: sampleNotice({ alertIds: ['a1'] }), at: '2025-03-01T10:05:00Z' },
        { notice: sampleNotice({ alertIds: ['a2'], ruleId: 'other' }), at: '2025-03-01T10:06:00Z' },
        {
          notice: sampleNotice({ alertIds: ['a3'], jurisdiction: { city: '330100', county: '330108' } }),
          at: '2025-03-01T10:07:00Z',
        },
        { notice: sampleNotice({ alertIds: ['a4'] }), at: '2025-03-01T11:01:00Z' },
        { notice: sampleNotice({ alertIds: ['a5'] }), at: '2025-03-01T11:02:00Z' },
      ],
      { intervalMs: HOUR },
    );
    expect(out.map((n) => [n.digest, n.alertIds])).toEqual([
      [false, ['a2']],
      [false, ['a1']],
      [false, ['a3']],
      [true, ['a4', 'a5']],
    ]);
  });

  it('wraps single notices in a digest when keepSingles is false, and folds earlier digests item by item', () => {
    const earlier = aggregateDigests(
      [
        { notice: sampleNotice({ alertIds: ['a1'] }), at: '2025-03-01T10:01:00Z' },
        { notice: sampleNotice({ alertIds: ['a2'] }), at: '2025-03-01T10:02:00Z' },
      ],
      { intervalMs: HOUR },
    )[0];
    const out = aggregateDigests(
      [
        { notice: earlier!, at: '2025-03-01T10:30:00Z' },
        { notice: sampleNotice({ alertIds: ['a3'] }), at: '2025-03-01T10:40:00Z' },
      ],
      { intervalMs: HOUR, keepSingles: false },
    );
    expect(out).toHaveLength(1);
    expect(out[0]?.items?.map((i) => i.alertId)).toEqual(['a1', 'a2', 'a3']);
  });

  it('rejects a zero interval and an unreadable time', () => {
    expect(() => digestWindow('2025-03-01T10:00:00Z', 0)).toThrow(RangeError);
    expect(() => digestWindow('yesterday-ish', HOUR)).toThrow(/Bad time/);
  });
});
