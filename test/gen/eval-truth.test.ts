/**
 * The evaluation matches a detector's group (named after what it found) to a planted group by its
 * members; every other entity by id.
 */
import { describe, expect, it } from 'vitest';
import { findsGroup, foundKeys, namesPlanted, parseTruth } from '../../bench/eval-truth.js';
import type { Entity } from '../../src/detectors/types.js';

const TRUTH = [
  'scheme,entity_type,entity_id,detail',
  'market-allocation,group,M0001,instance=allocation-1;members=0100000001|0200000002|0300000003',
  'market-allocation,company,0100000001,instance=allocation-1;group=M0001',
  'market-allocation,tender,IB2400000011,instance=allocation-1;group=M0001;territory=Hà Nội',
  'bid-rotation,group,R0001,instance=rotation-1;members=0400000004|0500000005|0600000006|0700000007;tenders=8',
  '',
].join('\n');

const firm = (id: string): Entity => ({ type: 'company', id });
const group = (id: string): Entity => ({ type: 'group', id });

describe('eval truth matching', () => {
  const truth = parseTruth(TRUTH);
  const alloc = truth.filter((t) => t.scheme === 'market-allocation');
  const ring = truth.find((t) => t.key === 'group:R0001')!;

  it('reads group members from the detail and leaves other rows without', () => {
    expect(truth.map((t) => t.key)).toEqual(['group:M0001', 'company:0100000001', 'tender:IB2400000011', 'group:R0001']);
    expect(truth[0].members).toEqual(['0100000001', '0200000002', '0300000003']);
    expect(truth[1].members).toEqual([]);
  });

  it('finds a planted group through a detector group naming most of its members', () => {
    const f = { entities: [group('allocation-goods-0100000001-2'), firm('0100000001'), firm('0300000003')] };
    expect(findsGroup(f, alloc[0].members)).toBe(true);
    expect([...foundKeys([f], alloc)].sort()).toEqual(['company:0100000001', 'group:M0001']);
  });

  it('does not count half of the members, members without a group entity, or another group', () => {
    // 2 of 4 ring members: a pair, not the ring
    expect(findsGroup({ entities: [group('ring-0400000004-2'), firm('0400000004'), firm('0500000005')] }, ring.members)).toBe(false);
    expect(findsGroup({ entities: [group('ring-0400000004-3'), firm('0400000004'), firm('0500000005'), firm('0600000006')] }, ring.members)).toBe(true);
    // the firms alone, without a group entity
    expect(findsGroup({ entities: [firm('0100000001'), firm('0200000002'), firm('0300000003')] }, alloc[0].members)).toBe(false);
    // a group of other firms
    const other = { entities: [group('allocation-goods-0800000008-2'), firm('0800000008'), firm('0900000009')] };
    expect(foundKeys([other], alloc).size).toBe(0);
    expect(namesPlanted(other, new Set(alloc.map((t) => t.key)), alloc.filter((t) => t.members.length))).toBe(false);
  });
});
