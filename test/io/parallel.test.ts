import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataset, workerInputs, type InputSpec, type LoadOptions } from '../../src/io/dataset.js';
import type { RejectedRow } from '../../src/io/load.js';
import { startWorkerRead } from '../../src/io/parallel.js';
import { packStrings, unpackStrings } from '../../src/util/packed-strings.js';
import type { Dataset } from '../../src/model/dataset.js';
import { digitKeysOf } from '../../src/util/digit-dict.js';

const samples = join(import.meta.dirname, '..', '..', 'samples');
const dir = mkdtempSync(join(tmpdir(), 'redflag-parallel-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

/** Everything a detector or the report can read from a dataset, as plain values. */
function snapshot(d: Dataset) {
  const parties = Array.from({ length: d.parties.size }, (_, i) => [d.parties.id(i), d.parties.name(i)]);
  const tables = Object.fromEntries(
    Object.entries(d.tables).map(([kind, t]) => [
      kind,
      {
        n: t.n,
        file: Array.from(t.origin.file),
        line: Array.from(t.origin.line),
        columns: [...t.columns].map(([name, c]) => [
          name,
          c.type,
          c.type === 'str' ? [Array.from(c.codes), Array.from(c.dict)] : c.type === 'party' ? Array.from(c.ids) : Array.from(c.values),
        ]),
      },
    ]),
  );
  return { parties, tables, inputs: d.inputs };
}

async function both(specs: InputSpec[], opts: LoadOptions = {}) {
  const run = async (parallel: LoadOptions['parallel']) => {
    const rejects: RejectedRow[] = [];
    const files: string[] = [];
    let out: { snap: ReturnType<typeof snapshot>; reports: unknown } | { error: string };
    try {
      const { dataset, reports } = await loadDataset(specs, { ...opts, parallel, onFile: (s) => files.push(s.path) }, (r) => rejects.push(r));
      out = { snap: snapshot(dataset), reports };
    } catch (e) {
      out = { error: `${(e as Error).name}: ${(e as Error).message}` };
    }
    return { out, rejects, files };
  };
  return { seq: await run(false), par: await run({ minBytes: 0 }) };
}

describe('reading one input in a worker thread', () => {
  it('gives the same dataset as a sequential read: party ids, names, dictionaries, codes, lines, reports', async () => {
    const specs: InputSpec[] = [
      { kind: 'bids', path: join(samples, 'bids-vn.csv') },
      { kind: 'bids', path: join(samples, 'bids.csv') },
      { kind: 'companies', path: join(samples, 'companies.csv') },
      { kind: 'invoices', path: join(samples, 'invoices.csv') },
    ];
    const { seq, par } = await both(specs);
    expect('snap' in seq.out).toBe(true);
    expect(par.out).toEqual(seq.out);
    // the invoices file is the largest: it was read here, first, while the worker read the others
    expect(par.files).toEqual([specs[3], ...specs.slice(0, 3)].map((s) => s.path));
    // invoice ids are kept as numbers, their strings made when read
    const { dataset } = await loadDataset(specs, { parallel: { minBytes: 0 } });
    const ids = dataset.invoices!.str('invoice_id')!;
    expect(digitKeysOf(ids.dict)).toBeDefined();
    expect(dataset.invoices!.text('invoice_id', 0)).toBe('HD000000001');
  });

  it('keeps rejected rows, warnings and line numbers, in input order, when the worker reads a file in the middle', async () => {
    const bids = file(
      'bids.csv',
      'Tender list exported 2024-05-01\n' +
        'tender_id,buyer_id,bidder_id,bidder_name,bid_amount,is_winner\n' +
        'T1,B1,0101,A Co,100,1\n' +
        'T1,B1,vn0102,"B, Co",120,0\n' +
        'T2,B2,0101,,\n' +
        'T2,B2,0103,C Co,90,1\n' +
        ',B3,0104,D,1,0\n' +
        'T3,,,TOTAL,50,0\n' +
        'Total,,,,310,\n',
    );
    // the largest input, between two others: read here while the worker reads the others
    const invoices = file(
      'invoices.csv',
      'invoice_id,number,seller_id,seller_name,buyer_id,amount,issue_date,vat_rate,status\n' +
        Array.from({ length: 300 }, (_, i) =>
          i % 97 === 5
            ? `HD${i},0105\n`
            : `HD${String(i).padStart(6, '0')},${i},${i % 7 === 0 ? 'vn' : ''}01${String(i % 13).padStart(2, '0')},Seller ${i % 13},0${i % 5}01,"1.234.${String(i).padStart(3, '0')}",0${(i % 28) + 1}/03/2024,${i % 3 ? '10%' : '8'},${i % 11 ? 'original' : 'bogus'}`,
        ).join('\n') +
        '\nINV-A,1,0101,Seller A,0202,5,01/04/2024,10%,original\n"HD999,0101\n',
    );
    const companies = file('companies.csv', 'company_id,name\n0104,D Co\n,No id\n0199,Z Co\n0101,A Registered\n');
    const specs: InputSpec[] = [
      { kind: 'bids', path: bids },
      { kind: 'invoices', path: invoices },
      { kind: 'companies', path: companies },
    ];
    const { seq, par } = await both(specs);
    expect('snap' in seq.out).toBe(true);
    expect(seq.rejects.map((r) => r.file)).toEqual([bids, bids, invoices, invoices, invoices, invoices, invoices, companies]);
    // the largest file is read (and its progress shown) first; the worker's are taken up after it
    expect(seq.files).toEqual([bids, invoices, companies]);
    expect(par.files).toEqual([invoices, bids, companies]);
    expect(par.rejects).toEqual(seq.rejects);
    expect(par.out).toEqual(seq.out);
  });

  it('stops on the error a sequential read meets first, with the same message', async () => {
    const good = file('good.csv', 'tender_id,buyer_id,bidder_id,bid_amount\nT1,B1,0101,5\n');
    const bad = file('bad.csv', 'tender_id,amount\nT1,5\n');
    const bigBad = file('big-bad.csv', 'seller,buyer\n' + 'x,y\n'.repeat(200));
    const bigGood = file('big-good.csv', 'invoice_id,number,issue_date,seller_id,buyer_id,amount\n' + Array.from({ length: 200 }, (_, i) => `HD${i},${i},2024-01-02,01,02,${i}`).join('\n'));
    const ragged = file('ragged.csv', 'tender_id,buyer_id,bidder_id,bid_amount\nT1,B1,0101,5\nT2,B1\nT3,B1,0102,6,7,8\n');
    const bigRagged = file('big-ragged.csv', 'invoice_id,number,issue_date,seller_id,buyer_id,amount\n' + Array.from({ length: 200 }, (_, i) => (i % 50 === 3 ? `HD${i},${i}` : `HD${i},${i},2024-01-02,01,02,${i}`)).join('\n'));
    const bids = (path: string): InputSpec => ({ kind: 'bids', path });
    const invoices = (path: string): InputSpec => ({ kind: 'invoices', path });
    const cases: InputSpec[][] = [
      // the worker's input fails before the largest, read here
      [bids(bad), invoices(bigGood)],
      [bids(ragged), bids(bad), invoices(bigRagged)],
      // the largest fails before the worker's
      [invoices(bigBad), bids(bad)],
      [invoices(bigBad), bids(good)],
      // the worker's input fails after the largest
      [invoices(bigRagged), bids(ragged), bids(bad)],
      // a missing file (read here) after the worker's
      [invoices(bigRagged), bids(ragged), bids(join(dir, 'none.csv'))],
    ];
    for (const specs of cases) expect(workerInputs(specs, { minBytes: 0 }).length).toBeGreaterThan(0);
    for (const specs of cases) {
      const { seq, par } = await both(specs);
      expect(seq.out).toHaveProperty('error');
      expect((seq.out as { error: string }).error).toMatch(/^InputError: /);
      expect(par.out).toEqual(seq.out);
      expect(par.rejects).toEqual(seq.rejects);
    }
  });

  it('reads an OCDS file on this thread while the worker reads the CSV files: the same dataset as a sequential read', async () => {
    const ocds = join(import.meta.dirname, '..', 'fixtures', 'ocds');
    const specs: InputSpec[] = [
      { kind: 'bids', path: join(samples, 'bids.csv') },
      { kind: 'ocds', path: join(ocds, 'ring-package.json') },
      { kind: 'companies', path: join(ocds, 'ring-companies.csv') },
    ];
    expect(workerInputs(specs, { minBytes: 0 })).toEqual([2]);
    const { seq, par } = await both(specs);
    expect('error' in seq.out).toBe(false);
    expect(par.out).toEqual(seq.out);
    // the OCDS file gives two inputs (bids, companies): the CSV companies file is the fourth
    if ('snap' in seq.out) expect(seq.out.snap.inputs.map((i) => i.kind)).toEqual(['bids', 'bids', 'companies', 'companies']);
  });

  it('reads small inputs and stdin on this thread', async () => {
    const small = file('pick-small.csv', 'tender_id,bidder_id\nT1,01\n');
    const large = file('pick-large.csv', 'tender_id,bidder_id\n' + 'T1,01\n'.repeat(50));
    const specs = (...paths: string[]) => paths.map((path): InputSpec => ({ kind: 'bids', path }));
    // by default only when the largest file has PARALLEL_MIN_BYTES or more; the largest is read here, the others in the worker
    expect(workerInputs(specs(small, large), undefined)).toEqual([]);
    expect(workerInputs(specs(small, large), { minBytes: 0 })).toEqual([0]);
    expect(workerInputs(specs(large, small, small), { minBytes: 0 })).toEqual([1, 2]);
    expect(workerInputs(specs(large, small), { minBytes: 1000 })).toEqual([]);
    expect(workerInputs(specs(large, small), false)).toEqual([]);
    // nothing to read meanwhile
    expect(workerInputs(specs(large), { minBytes: 0 })).toEqual([]);
    // standard input and missing files are read here
    expect(workerInputs(specs('-', small, large), { minBytes: 0 })).toEqual([1]);
    expect(workerInputs(specs(large, join(dir, 'none.csv'), small), { minBytes: 0 })).toEqual([2]);
    expect(workerInputs(specs('-', small), { minBytes: 0 })).toEqual([]);
  });

  it('reads stdin here while a worker reads the other files', async () => {
    const small = file('small.csv', 'tender_id,buyer_id,bidder_id,bid_amount\nT1,B1,0101,5\n');
    const companies = file('companies-small.csv', 'company_id,name\n0101,A Co\n0102,B Co\n');
    const { Readable } = await import('node:stream');
    const stdin = Readable.from(['invoice_id,number,issue_date,seller_id,buyer_id,amount\n' + 'HD1,1,2024-01-02,01,02,3\n'.repeat(100)]);
    const specs: InputSpec[] = [
      { kind: 'bids', path: small },
      { kind: 'invoices', path: '-' },
      { kind: 'companies', path: companies },
    ];
    expect(workerInputs(specs, { minBytes: 0 })).toEqual([2]);
    const { dataset } = await loadDataset(specs, { stdin, parallel: { minBytes: 0 } });
    expect(dataset.invoices!.n).toBe(100);
    expect([0, 1, 2, 3, 4].map((i) => dataset.parties.id(i))).toEqual(['B1', '0101', '01', '02', '0102']);
    expect(dataset.parties.name(1)).toBe('A Co');
  });
});

describe('the worker thread', () => {
  it('starts, reads its files in order and hands back the tables (no fallback to this thread)', async () => {
    const job = startWorkerRead({
      files: [
        { path: join(samples, 'companies.csv'), kind: 'companies' },
        { path: join(samples, 'bids.csv'), kind: 'bids' },
      ],
      wantRejects: true,
    });
    try {
      const first = await job.outcome(0);
      const second = await job.outcome(1);
      expect(first.ok === null ? first.reason : first.ok).toBe(true);
      expect(second.ok === null ? second.reason : second.ok).toBe(true);
      if (first.ok && second.ok) {
        expect(first.table.kind).toBe('companies');
        expect(second.table.kind).toBe('bids');
        expect(second.table.rows).toBeGreaterThan(100);
        // the party columns keep file-local codes until finishTable
        expect(second.table.columns[second.table.names.indexOf('bidder_id')].type).toBe('local-party');
      }
    } finally {
      job.stop();
    }
  });

  it('reports an input error of its file as the same InputError', async () => {
    const bad = file('worker-bad.csv', 'tender_id,amount\nT1,5\n');
    const job = startWorkerRead({ files: [{ path: bad, kind: 'bids' }], wantRejects: false });
    const out = await job.outcome(0);
    job.stop();
    expect(out.ok).toBe(false);
    if (out.ok === false) {
      expect(out.error.name).toBe('InputError');
      expect(out.error.message).toMatch(/missing required bids columns? .*buyer_id/);
      expect(out.error.file).toBe(bad);
    }
  });
});

describe('strings across threads', () => {
  it('packs and unpacks any strings, in pieces', () => {
    const values = ['', 'a', 'HD000000001', 'Công ty TNHH', '😀 x', '', 'a'.repeat(40), '', 'b,c\n"d"'];
    for (const piece of [1, 3, 16, 1 << 26]) {
      const p = packStrings(values, piece);
      expect(unpackStrings(p)).toEqual(values);
      if (piece === 1) expect(p.texts.length).toBeGreaterThan(5);
    }
    expect(unpackStrings(packStrings([]))).toEqual([]);
    expect(unpackStrings(packStrings(['', '']))).toEqual(['', '']);
  });

  it('rejects lengths that do not add up', () => {
    const p = packStrings(['ab', 'c']);
    p.lens[0] = 1;
    expect(() => unpackStrings(p)).toThrow(/lengths add up/);
  });
});
