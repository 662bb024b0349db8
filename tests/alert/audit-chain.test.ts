import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  auditChainOf,
  auditHash,
  GENESIS_HASH,
  verifyAuditChain,
  writeAudit,
  type StoredAuditEntry,
} from '../../indexer/alert/audit.js';
import { AlertService } from '../../indexer/alert/alert.service.js';
import { aliasName } from '../../mappings/index.js';
import { matchFixture, type MatchFixture } from '../match/support.js';
import { silent } from './routing-support.js';

let fx: MatchFixture;

beforeAll(async () => {
  fx = await matchFixture('audit');
}, 120_000);
afterAll(async () => fx.drop());

const entry = (targetId: string, action: string) => ({
  actor: 'wang',
  action,
  targetType: 'alert',
  targetId,
  details: { note: `${action} 备注`, n: 1 },
});

async function chainOf(targetId: string): Promise<StoredAuditEntry[]> {
  const index = aliasName(fx.prefix, 'audit');
  await fx.engine.refresh(index);
  const result = await fx.engine.search<StoredAuditEntry>({
    index,
    query: { term: { chain: auditChainOf('alert', targetId) } },
    sort: [{ seq: 'asc' }],
  });
  return result.hits.map((h) => h.source);
}

describe('audit hash chain', () => {
  it('links each entry of a target to the one before, starting from the genesis hash', async () => {
    for (const action of ['alert.acknowledge', 'alert.resolve', 'alert.reopen'])
      await writeAudit(fx.engine, fx.prefix, entry('a1', action));
    const chain = await chainOf('a1');
    expect(chain.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(chain[0]?.prev_hash).toBe(GENESIS_HASH);
    expect(chain[1]?.prev_hash).toBe(chain[0]?.hash);
    expect(chain[2]?.prev_hash).toBe(chain[1]?.hash);
    expect(new Set(chain.map((e) => e.hash)).size).toBe(3);
    expect(await verifyAuditChain(fx.engine, fx.prefix)).toMatchObject({ ok: true, entries: 3, chains: 1 });
  });

  it('when writers race on one target, every entry lands on the chain once, in a gapless order', async () => {
    await Promise.all(
      Array.from({ length: 8 }, (_, i) => writeAudit(fx.engine, fx.prefix, entry('a2', `race.${i}`))),
    );
    const chain = await chainOf('a2');
    expect(chain.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(new Set(chain.map((e) => e.action)).size).toBe(8);
    const report = await verifyAuditChain(fx.engine, fx.prefix, { chain: auditChainOf('alert', 'a2') });
    expect(report).toMatchObject({ ok: true, entries: 8 });
  });

  it('detects an entry changed in place, and an entry removed from the middle', async () => {
    for (const action of ['alert.acknowledge', 'alert.false_positive', 'alert.comment'])
      await writeAudit(fx.engine, fx.prefix, entry('a3', action));
    const index = aliasName(fx.prefix, 'audit');
    const [, second] = await chainOf('a3');
    await fx.engine.update(index, second?.id ?? '', { doc: { actor: 'someone-else' } }, { refresh: true });
    const tampered = await verifyAuditChain(fx.engine, fx.prefix, { chain: auditChainOf('alert', 'a3') });
    expect(tampered.ok).toBe(false);
    expect(tampered.problems).toEqual([
      { chain: 'alert:a3', seq: 2, id: second?.id, reason: 'hash_mismatch' },
    ]);

    for (const action of ['a', 'b', 'c']) await writeAudit(fx.engine, fx.prefix, entry('a4', action));
    await fx.engine.delete(index, `${auditChainOf('alert', 'a4')}:2`, { refresh: true });
    const gap = await verifyAuditChain(fx.engine, fx.prefix, { chain: auditChainOf('alert', 'a4') });
    expect(gap.problems.map((p) => [p.seq, p.reason])).toEqual([[3, 'seq_gap']]);
  });

  it('a rewritten entry with a recomputed hash still breaks the link of the next one', async () => {
    for (const action of ['x', 'y']) await writeAudit(fx.engine, fx.prefix, entry('a5', action));
    const index = aliasName(fx.prefix, 'audit');
    const [first] = await chainOf('a5');
    const forged = { ...(first as StoredAuditEntry), actor: 'forger' };
    forged.hash = auditHash(forged);
    await fx.engine.index(index, forged.id, { ...forged }, { refresh: true });
    const report = await verifyAuditChain(fx.engine, fx.prefix, { chain: auditChainOf('alert', 'a5') });
    expect(report.problems.map((p) => [p.seq, p.reason])).toEqual([[2, 'prev_hash_mismatch']]);
  });

  it('alert lifecycle steps are chained per alert', async () => {
    const alerts = new AlertService(fx.engine, { prefix: fx.prefix, refresh: true, log: silent });
    const [created] = await alerts.recordHits([
      {
        rule: { id: 'zui-jia', version: 1, name: '最佳', severity: 'high', category: 'ad_law_absolute' },
        kind: 'page',
        doc: { id: 'p1', url: 'http://s.test/p1', operator_id: 'op-1' },
        indexedAt: Date.now(),
      },
    ]);
    const id = created?.alertId ?? '';
    await alerts.acknowledge(id, { actor: 'wang' });
    await alerts.resolve(id, { actor: 'li', note: '已整改' });
    const chain = await chainOf(id);
    expect(chain.map((e) => [e.seq, e.action])).toEqual([
      [1, 'alert.acknowledge'],
      [2, 'alert.resolve'],
    ]);
    expect((await verifyAuditChain(fx.engine, fx.prefix, { chain: auditChainOf('alert', id) })).ok).toBe(
      true,
    );
  });
});
