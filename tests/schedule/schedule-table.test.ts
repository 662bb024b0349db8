import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  dueStatus,
  inspectionInterval,
  loadScheduleTable,
  nextDueAt,
  parseScheduleTable,
  type ScheduleTable,
} from '../../indexer/schedule/schedule-table.js';

const DAY = 24 * 60 * 60 * 1000;

describe('inspection schedule table', () => {
  let table: ScheduleTable;

  beforeAll(async () => {
    table = await loadScheduleTable('rules/inspection-schedule.json');
  });

  it('by default inspects source-focus operators daily, high risk every 3 days, normal weekly, low monthly', () => {
    const days = (fields: Parameters<typeof inspectionInterval>[1]): number =>
      inspectionInterval(table, fields).days;
    expect(days({ id: 'a', source_focus: true, risk_tier: 'low' })).toBe(1);
    expect(days({ id: 'b', classification: 'source', risk_tier: 'medium' })).toBe(1);
    expect(days({ id: 'c', risk_tier: 'high' })).toBe(3);
    expect(days({ id: 'd', risk_tier: 'medium', classification: 'normal' })).toBe(7);
    expect(days({ id: 'e', risk_tier: 'low' })).toBe(30);
    expect(inspectionInterval(table, { id: 'f' })).toEqual({ days: 7, rule: 'default' });
  });

  it("an operator's own frequency applies only when it is stricter than the table's", () => {
    expect(inspectionInterval(table, { id: 'a', risk_tier: 'low', inspection_frequency_days: 2 })).toEqual({
      days: 2,
      rule: 'operator',
    });
    expect(inspectionInterval(table, { id: 'b', risk_tier: 'high', inspection_frequency_days: 10 })).toEqual({
      days: 3,
      rule: 'high risk',
    });
  });

  it('is due one interval after the last inspection, due within the grace day, then overdue', () => {
    const last = new Date('2024-05-01T00:00:00Z');
    const due = nextDueAt(table, { id: 'c', risk_tier: 'high' }, last);
    expect(due.toISOString()).toBe('2024-05-04T00:00:00.000Z');
    expect(dueStatus(table, due, new Date(due.getTime() - 1))).toBe('upcoming');
    expect(dueStatus(table, due, new Date(due.getTime() + DAY / 2))).toBe('due');
    expect(dueStatus(table, due, new Date(due.getTime() + DAY + 1))).toBe('overdue');
    const created = new Date('2024-01-01T00:00:00Z');
    expect(nextDueAt(table, { id: 'never' }, null, created)).toEqual(created);
  });

  it('a custom table is read from a file, and a bad one is refused naming the field', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'schedule-'));
    try {
      const good = join(dir, 'good.json');
      await writeFile(
        good,
        JSON.stringify({
          rules: [{ label: 'pharmacy', when: { type: ['platform'] }, every_days: 2 }],
          default_every_days: 14,
        }),
      );
      const custom = await loadScheduleTable(good);
      expect(inspectionInterval(custom, { id: 'p', type: 'platform' })).toEqual({
        days: 2,
        rule: 'pharmacy',
      });
      expect(custom.overdue_grace_days).toBe(1);
      const bad = join(dir, 'bad.json');
      await writeFile(
        bad,
        JSON.stringify({
          rules: [{ label: 'x', when: { risk_tier: ['extreme'] }, every_days: 1 }],
          default_every_days: 7,
        }),
      );
      await expect(loadScheduleTable(bad)).rejects.toMatchObject({
        code: 'SCHEDULE_TABLE_INVALID',
        message: expect.stringContaining('rules.0.when.risk_tier.0'),
      });
      await expect(loadScheduleTable(join(dir, 'missing.json'))).rejects.toMatchObject({
        code: 'SCHEDULE_TABLE_INVALID',
      });
      expect(() => parseScheduleTable({ rules: [], default_every_days: 0 })).toThrow(/default_every_days/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
