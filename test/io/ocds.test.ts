import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/io/dataset.js';
import { parseOcds } from '../../src/io/ocds.js';
import { amountText, mapRelease, OCDS_BID_COLUMNS, OCDS_TENDER_COLUMNS, orgId } from '../../src/io/ocds-map.js';
import { compile, project, READ_SHAPE, type JsonObject } from '../../src/io/ocds-merge.js';
import type { Dataset } from '../../src/model/dataset.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'ocds');
const fixture = (f: string) => join(FIXTURES, f);

/** The bids rows of a mapped release as objects, only the non-blank fields. */
function bidRows(rel: JsonObject): Record<string, string>[] {
  return mapRelease(rel, '').bids.map((r) => Object.fromEntries(OCDS_BID_COLUMNS.map((c, i) => [c, r[i]]).filter(([, v]) => v !== '')));
}

const party = (id: string, roles: string[] = ['tenderer']) => ({ id, name: `Firm ${id}`, roles, identifier: { scheme: 'XX-FIRM', id } });

describe('OCDS merge', () => {
  it('applies releases oldest first: later fields win, null removes, arrays of objects merge on id, other arrays are replaced', () => {
    const later = {
      ocid: 'X',
      date: '2024-03-01T00:00:00Z',
      tag: ['award'],
      tender: { title: 'New title', procurementMethodDetails: null, tenderers: [{ id: 'B', name: 'B renamed' }] },
      awards: [{ id: 'A1', status: 'active' }],
    };
    const earlier = {
      ocid: 'X',
      date: '2024-01-01T00:00:00Z',
      tag: ['tender'],
      tender: { title: 'Old title', procurementMethodDetails: 'Chỉ định thầu', value: { amount: 100 }, tenderers: [{ id: 'A', name: 'A' }, { id: 'B', name: 'B' }] },
      awards: [{ id: 'A1', status: 'pending', date: '2024-02-01' }],
    };
    // given in the file newest first: the date decides
    const c = compile([later, earlier]);
    expect(c.tag).toEqual(['award']);
    expect(c.tender).toEqual({ title: 'New title', value: { amount: 100 }, tenderers: [{ id: 'A', name: 'A' }, { id: 'B', name: 'B renamed' }] });
    expect(c.awards).toEqual([{ id: 'A1', status: 'active', date: '2024-02-01' }]);
    // the inputs are not changed
    expect(earlier.tender.title).toBe('Old title');
  });

  it('keeps only the fields the mapping reads', () => {
    const p = project(
      { ocid: 'X', planning: { budget: 1 }, tender: { title: 'T', items: [{ id: 1 }], documents: [], lots: [{ id: 'L', title: 'x', description: 'long' }] } },
      READ_SHAPE,
    );
    expect(p).toEqual({ ocid: 'X', tender: { title: 'T', lots: [{ id: 'L', title: 'x' }] } });
  });
});

describe('OCDS mapping', () => {
  it('ids: scheme-id, the bare id for a Vietnamese scheme or none, the party id without an identifier', () => {
    expect(orgId({ scheme: 'GB-COH', id: '01234567' }, 'p1')).toBe('GB-COH-01234567');
    expect(orgId({ scheme: 'GB-COH', id: 'GB-COH-01234567' }, 'p1')).toBe('GB-COH-01234567');
    expect(orgId({ scheme: 'VN-MST', id: 'vn0100233488' }, 'p1')).toBe('vn0100233488');
    expect(orgId({ id: 1305 }, 'p1')).toBe('1305');
    expect(orgId(undefined, 'p1')).toBe('p1');
    expect(orgId({ scheme: 'X' }, undefined)).toBe('');
  });

  it('amounts: JSON numbers written so that the amount column cannot misread them', () => {
    expect(amountText(950000000)).toBe('950000000');
    expect(amountText(1.234)).toBe('1.2340'); // "1.234" alone reads as 1234 in a Vietnamese column
    expect(amountText(1.5)).toBe('1.5');
    expect(amountText('1.234.567')).toBe('1.234.567');
    expect(amountText(null)).toBe('');
  });

  it('bid extension with lots: one row per bid and lot, winners per lot, the lot estimate; a bid for two lots has no amount', () => {
    const rel: JsonObject = {
      ocid: 'ocds-L',
      parties: [party('W'), party('L1'), party('BUY', ['buyer'])],
      buyer: { id: 'BUY' },
      tender: {
        value: { amount: 300, currency: 'VND' },
        procurementMethod: 'selective',
        mainProcurementCategory: 'services',
        additionalProcurementCategories: ['consultingServices'],
        lots: [
          { id: 'LOT-1', value: { amount: 100 } },
          { id: 'LOT-2', value: { amount: 200 } },
        ],
      },
      bids: {
        details: [
          { id: 'b1', tenderers: [{ id: 'W' }], value: { amount: 95 }, status: 'valid', relatedLots: ['LOT-1'] },
          { id: 'b2', tenderers: [{ id: 'L1' }], value: { amount: 99 }, status: 'pending', relatedLots: ['LOT-1'] },
          { id: 'b3', tenderers: [{ id: 'L1' }, { id: 'W' }], value: { amount: 290 }, relatedLots: ['LOT-1', 'LOT-2'] },
        ],
      },
      awards: [{ id: 'a1', status: 'active', suppliers: [{ id: 'W' }], relatedLots: ['LOT-1'], value: { amount: 95 }, date: '2024-05-01' }],
      contracts: [{ id: 'c1', awardID: 'a1', dateSigned: '2024-05-09' }],
    };
    const m = mapRelease(rel, 'releases[0]');
    expect(m.source).toBe('bids');
    expect(m.multiLotBids).toBe(1);
    expect(m.consortiumBids).toBe(1);
    const common = { tender_id: 'ocds-L', buyer_id: 'XX-FIRM-BUY', buyer_name: 'Firm BUY', category: 'consulting', procedure: 'selective' };
    const lot1 = { ...common, lot_id: 'LOT-1', estimated_value: '100', currency: 'VND', award_date: '2024-05-01', contract_date: '2024-05-09' };
    expect(bidRows(rel)).toEqual([
      { ...lot1, bidder_id: 'XX-FIRM-W', bidder_name: 'Firm W', bid_amount: '95', bid_status: 'valid', is_winner: 'true', award_amount: '95' },
      { ...lot1, bidder_id: 'XX-FIRM-L1', bidder_name: 'Firm L1', bid_amount: '99', is_winner: 'false' },
      { ...lot1, bidder_id: 'XX-FIRM-L1', bidder_name: 'Firm L1', is_winner: 'false' },
      // no award names LOT-2: whether the bid won is not known
      { ...common, lot_id: 'LOT-2', estimated_value: '200', currency: 'VND', bidder_id: 'XX-FIRM-L1', bidder_name: 'Firm L1' },
    ]);
    expect(m.companies.map((c) => c.key)).toEqual(['XX-FIRM-W', 'XX-FIRM-L1']);
  });

  it('tenderers only: rows without a price, the suppliers of standing awards win, a supplier missing from the tenderers is added', () => {
    const rel: JsonObject = {
      ocid: 'ocds-T',
      parties: [party('A'), party('B'), party('C', ['supplier'])],
      tender: { procurementMethod: 'open', procurementMethodDetails: 'Đấu thầu rộng rãi quốc tế', tenderers: [{ id: 'A' }, { id: 'B' }] },
      awards: [
        { id: '1', status: 'unsuccessful', suppliers: [{ id: 'A' }] },
        { id: '2', status: 'active', suppliers: [{ id: 'C' }], value: { amount: 50 } },
      ],
    };
    expect(bidRows(rel).map((r) => [r.bidder_id, r.is_winner, r.award_amount, r.bid_amount, r.procedure])).toEqual([
      ['XX-FIRM-A', 'false', undefined, undefined, 'Đấu thầu rộng rãi quốc tế'],
      ['XX-FIRM-B', 'false', undefined, undefined, 'Đấu thầu rộng rãi quốc tế'],
      ['XX-FIRM-C', 'true', '50', undefined, 'Đấu thầu rộng rãi quốc tế'],
    ]);
    expect(mapRelease(rel, '').source).toBe('tenderers');
  });

  it('no bids and no tenderers: a direct award is a tenders row with its winner', () => {
    const rel: JsonObject = {
      ocid: 'ocds-D',
      parties: [{ id: 'S', name: 'Sole', roles: ['supplier'], identifier: { scheme: 'VN-MST', id: '0314409058' } }],
      tender: { procurementMethod: 'direct', numberOfTenderers: 1, value: { amount: 90 } },
      awards: [{ id: '1', suppliers: [{ id: 'S' }], value: { amount: 88 }, date: '2024-01-02' }],
    };
    const m = mapRelease(rel, '');
    expect(m.bids).toEqual([]);
    const row = Object.fromEntries(OCDS_TENDER_COLUMNS.map((c, i) => [c, m.tenders[0][i]]).filter(([, v]) => v !== ''));
    expect(row).toEqual({ tender_id: 'ocds-D', procedure: 'direct', estimated_value: '90', award_date: '2024-01-02', winner_id: '0314409058', winner_name: 'Sole', award_amount: '88', number_of_bidders: '1' });
    expect(m.companies.map((c) => c.fields)).toEqual([['0314409058', 'Sole', '', '', '', '', '']]);
  });

  it('a bid with no tenderer is rejected with its place; a tenderer party without any id too', () => {
    const m = mapRelease({ ocid: 'X', parties: [{ name: 'No id', roles: ['tenderer'] }], bids: { details: [{ id: '1', value: { amount: 5 } }] } }, 'releases[4]');
    expect(m.rejects.map((r) => [r.table, r.reason, r.path])).toEqual([
      ['bids', 'a bid with no tenderer', 'releases[4].bids.details[0]'],
      ['companies', 'a tenderer or supplier with no id', 'releases[4].parties[0]'],
    ]);
    expect(m.bids).toEqual([]);
    // releases merged: the place names the ocid
    const merged = mapRelease({ ocid: 'ocds-M', bids: { details: [{ id: '1', tenderers: [] }] } }, { merged: 2 });
    expect(merged.rejects.map((r) => r.path)).toEqual(['bids.details[0] of ocid "ocds-M", 2 releases merged']);
  });
});

function column(data: Dataset, kind: 'bids' | 'tenders' | 'companies', name: string): unknown[] {
  const t = data.tables[kind]!;
  const c = t.columns.get(name);
  if (!c) return [];
  return Array.from({ length: t.n }, (_, r) => {
    if (c.type === 'num') return Number.isNaN(c.values[r]) ? null : c.values[r];
    if (c.type === 'bool') return c.values[r];
    if (c.type === 'party') return c.ids[r] < 0 ? null : data.parties.id(c.ids[r]);
    return c.codes[r] < 0 ? null : c.dict[c.codes[r]];
  });
}

describe('parseOcds', () => {
  it('a release package with two releases per ocid: merged by date, the buyer tax code normalised as in a CSV', async () => {
    const { summary, tables } = await parseOcds(fixture('ring-package.json'));
    expect(summary).toMatchObject({ format: 'release package', values: 1, packages: 1, releases: 16, ocids: 8, mergedOcids: 8, tendersWithBids: 8, parties: 4 });
    expect(tables.map((t) => [t.kind, t.rows, t.report.rejected])).toEqual([
      ['bids', 24, 0],
      ['companies', 3, 0],
    ]);
    const { dataset } = await loadDataset([{ kind: 'ocds', path: fixture('ring-package.json') }]);
    const tender = column(dataset, 'bids', 'tender_id');
    // T1's estimate was published ten times too high and corrected by the later release
    expect(column(dataset, 'bids', 'estimated_value')[0]).toBe(1042184999);
    // T3's award release comes before its tender release in the file: the winner is still known
    const t3 = tender.flatMap((t, r) => (t === 'ocds-ring-T3' ? [r] : []));
    expect(t3.map((r) => column(dataset, 'bids', 'is_winner')[r])).toEqual([1, 0, 0]);
    expect(new Set(column(dataset, 'bids', 'buyer_id'))).toEqual(new Set(['0100233488']));
    expect(new Set(column(dataset, 'bids', 'procedure'))).toEqual(new Set(['open']));
    expect(column(dataset, 'companies', 'address')).toEqual(['12 Láng Hạ, Hà Nội', '12 Láng Hạ, Hà Nội', '7 Kim Mã, Hà Nội']);
    // rows point at the line of the ocid's first release
    expect(dataset.bids!.origin.line[0]).toBe(12);
  });

  it('JSON Lines of compiled releases, a record package, tenderers only: what each holds', async () => {
    expect((await parseOcds(fixture('ring-compiled.jsonl'))).summary).toMatchObject({ format: 'JSON Lines of compiled releases', values: 8, releases: 8, compiledReleases: 8, ocids: 8, mergedOcids: 0 });
    // seven records with a compiledRelease, one (T8) with its two releases embedded, merged
    expect((await parseOcds(fixture('ring-records.json'))).summary).toMatchObject({ format: 'record package', records: 8, compiledReleases: 7, ocids: 8, mergedOcids: 1, tendersWithBids: 8 });
    const tt = await parseOcds(fixture('tenderers-only.json'));
    expect(tt.summary).toMatchObject({ format: 'release package', tendersWithBids: 0, tendersWithTenderersOnly: 8 });
    // no bid amount at all: the column is there (required) but blank, so price detectors are skipped
    const bids = tt.tables[0];
    expect(bids.names).toContain('bid_amount');
    expect(bids.names).not.toContain('bid_status');
  });
});
