import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOT_MERGED } from '../../src/io/columns.js';
import { loadDataset, type InputSpec, type LoadOptions } from '../../src/io/dataset.js';
import type { RejectedRow } from '../../src/io/load.js';
import { SAMPLE_SPAN } from '../../src/io/source.js';
import { planSplit } from '../../src/io/split.js';
import type { Dataset } from '../../src/model/dataset.js';
import { AmountColumn } from '../../src/normalize/amount.js';
import { BoolColumn } from '../../src/normalize/bool.js';
import { CodeColumn } from '../../src/normalize/codes.js';
import { DateColumn } from '../../src/normalize/date.js';
import { GrowableInt32 } from '../../src/util/growable.js';
import { Interner } from '../../src/util/interner.js';

const samples = join(import.meta.dirname, '..', '..', 'samples');
const dir = mkdtempSync(join(tmpdir(), 'redflag-split-'));
const write = (name: string, data: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
};

const sample = readFileSync(join(samples, 'invoices.csv'), 'utf8');
const HEADER = sample.slice(0, sample.indexOf('\n') + 1);
const BODY = sample.slice(HEADER.length);
const BODY_ROWS = BODY.split('\n').filter((l) => l !== '');

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
          c.type === 'str' ? [c.codes.constructor.name, Array.from(c.codes), Array.from(c.dict)] : c.type === 'party' ? Array.from(c.ids) : Array.from(c.values),
        ]),
      },
    ]),
  );
  return { parties, tables, inputs: d.inputs };
}

async function read(specs: InputSpec[], opts: LoadOptions) {
  const rejects: RejectedRow[] = [];
  try {
    const { dataset, reports } = await loadDataset(specs, opts, (r) => rejects.push(r));
    return { snap: snapshot(dataset), reports, rejects };
  } catch (e) {
    return { error: `${(e as Error).name}: ${(e as Error).message}`, rejects };
  }
}

/** The file read in one piece and split at `at` (a byte the split searches a line start from). */
async function both(specs: InputSpec[], at: number, parallel: LoadOptions['parallel'] = { minBytes: 0 }) {
  const outcomes: boolean[] = [];
  const seq = await read(specs, { parallel: false });
  const split = await read(specs, { parallel, split: { minBytes: 0, at, onOutcome: (m) => outcomes.push(m) } });
  return { seq, split, outcomes };
}

/** `n` rows of the sample invoices (cycled), each through `edit(fields, i)`. */
function rows(n: number, edit: (f: string[], i: number) => string[] = (f) => f): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(edit(BODY_ROWS[i % BODY_ROWS.length].split(','), i).join(','));
  return out.join('\n') + '\n';
}

const AMOUNT = 9;
const DATE = 4;
const SELLER = 5;
const STATUS = 14;

describe('a file split between the threads', () => {
  it('gives the same dataset, reports and rejected rows as one read, with the worker reading other files first', async () => {
    const first = rows(6000);
    // the second part: rejects, a blank line, a total row, unreadable values, a new status code and new ids
    const second =
      rows(3000, (f, i) => {
        if (i === 5) return f.slice(0, 5);
        if (i === 7) f[0] = '';
        if (i === 9) f[DATE] = 'not a date';
        if (i === 11) f[AMOUNT] = 'abc';
        if (i === 13) f[STATUS] = 'mystery';
        if (i === 15) f[SELLER] = 'NEWSELLER' + i;
        return f;
      }) +
      '\n' +
      'Tổng cộng,,,,,,,,,999\n' +
      rows(200) +
      // a footer below the last totals line: skipped in the part it is in
      'Tổng cộng,,,,,,,,,999\n' +
      'Bằng chữ: chín trăm chín mươi chín đồng\n' +
      'Người lập biểu,,Kế toán trưởng\n';
    const path = write('big.csv', HEADER + first + second);
    const specs: InputSpec[] = [
      { kind: 'bids', path: join(samples, 'bids.csv') },
      { kind: 'companies', path: join(samples, 'companies.csv') },
      { kind: 'invoices', path },
    ];
    const at = Buffer.byteLength(HEADER + first);
    expect(at).toBeGreaterThan(SAMPLE_SPAN);
    const { seq, split, outcomes } = await both(specs, at - 10);
    expect(outcomes).toEqual([true]);
    expect('snap' in seq).toBe(true);
    // the short row; the totals lines (short too) and the footer are skipped, not rejected
    expect(seq.rejects.length).toBe(1);
    expect(split).toEqual(seq);
    // the rejected rows keep the lines of the whole file
    expect(seq.rejects[0].line).toBe(1 + 6000 + 6);
  });

  it('decides amount and date conventions from the whole column: evidence only in the second part', async () => {
    // first part: amounts `1.234` (dot thousands or decimal?) and dates `05/03/2024` (day or month first?)
    const first = rows(7000, (f, i) => {
      f[AMOUNT] = `${1 + (i % 9)}.${String(100 + (i % 900)).padStart(3, '0')}`;
      f[DATE] = `0${1 + (i % 9)}/0${1 + (i % 8)}/2024`;
      return f;
    });
    // second part: `2.5` settles the decimal dot (so `1.234` was 1.234), `12/25/2024` settles month first
    const second = rows(2000, (f, i) => {
      f[AMOUNT] = i % 3 === 0 ? `${i}.5` : `${1 + (i % 9)}.250`;
      f[DATE] = i % 2 === 0 ? '12/25/2024' : '03/04/2024';
      return f;
    });
    const path = write('amb.csv', HEADER + first + second);
    const at = Buffer.byteLength(HEADER + first) - 5;
    const { seq, split, outcomes } = await both([{ kind: 'invoices', path }], at);
    expect(outcomes).toEqual([true]);
    expect(split).toEqual(seq);
    const report = (seq as { reports: { columns: Record<string, { convention?: string }> }[] }).reports[0];
    expect(report.columns.amount.convention).toContain('decimal "."');
    expect(report.columns.issue_date.convention).toContain('order mdy');
  });

  it('falls back to one read on this thread when the split point is inside a quoted line break', async () => {
    const first = rows(6000);
    // a description holding many line breaks: the split searches a line start inside it
    const quoted = rows(1, (f) => {
      f[f.length - 1] = '"line one\n' + 'more\n'.repeat(2000) + 'last"';
      return f;
    });
    const path = write('quoted.csv', HEADER + first + quoted + rows(500));
    const at = Buffer.byteLength(HEADER + first) + 5000;
    const { seq, split, outcomes } = await both([{ kind: 'invoices', path }], at);
    expect(outcomes).toEqual([false]);
    expect(split).toEqual(seq);
    // lines after the quoted record count its line breaks
    const t = (seq as { snap: ReturnType<typeof snapshot> }).snap.tables.invoices;
    expect(t.line[t.n - 1]).toBe(1 + 6000 + 2002 + 500);
  });

  it('reads CRLF files with a byte-order mark the same', async () => {
    const first = rows(6000).replace(/\n/g, '\r\n');
    const second = ('\uFEFF' + rows(700)).replace(/\n/g, '\r\n');
    const path = write('crlf.csv', '\uFEFF' + HEADER.replace('\n', '\r\n') + first + second);
    const at = Buffer.byteLength('\uFEFF' + HEADER + first) + 6000 - 10;
    const { seq, split, outcomes } = await both([{ kind: 'invoices', path }], at);
    expect(outcomes).toEqual([true]);
    expect(split).toEqual(seq);
  });

  it('warns of invalid UTF-8 in the second part as one read does', async () => {
    const first = Buffer.from(HEADER + rows(6000));
    const bad = Buffer.concat([Buffer.from(rows(3)), Buffer.from([0xff, 0xfe, 0x41, 0x0a]), Buffer.from(rows(3))]);
    const path = write('bad.csv', Buffer.concat([first, bad]));
    const { seq, split, outcomes } = await both([{ kind: 'invoices', path }], first.length - 3);
    expect(outcomes).toEqual([true]);
    expect(split).toEqual(seq);
    expect(JSON.stringify((seq as { reports: unknown }).reports)).toContain('invalid UTF-8 past the start');
  });

  it('keeps UTF-16, gzip, small files and standard input in one piece', async () => {
    const text = HEADER + rows(6000);
    const utf16 = write('u16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const size = (p: string) => readFileSync(p).length;
    expect(await planSplit({ kind: 'invoices', path: utf16 }, 0, size(utf16), 0, { split: { minBytes: 0 } })).toBeNull();
    const plain = write('plain.csv', text);
    const plan = await planSplit({ kind: 'invoices', path: plain }, 0, size(plain), 0, { split: { minBytes: 0 } });
    expect(plan).not.toBeNull();
    // a line start past the sample
    expect(plan!.start).toBeGreaterThan(SAMPLE_SPAN);
    expect(readFileSync(plain)[plan!.start - 1]).toBe(10);
    expect(await planSplit({ kind: 'invoices', path: plain }, 0, size(plain), 0, {})).toBeNull();
    expect(await planSplit({ kind: 'invoices', path: '-' }, 0, size(plain), 0, { split: { minBytes: 0 } })).toBeNull();
    const { seq, split, outcomes } = await both([{ kind: 'invoices', path: utf16 }], 1 << 21);
    expect(outcomes).toEqual([]);
    expect(split).toEqual(seq);
  });

  it('merges every field of the value columns of src/normalize (a field added there must be merged too)', () => {
    const fields = (o: object) => Object.keys(o).sort();
    expect(fields(new AmountColumn())).toEqual(
      ['values', 'votes', 'ambiguous', 'voteCount', 'ambiguousCount', 'voteSamples', 'problems', 'currencies', 'spaceGrouped', 'apostropheGrouped', 'rows', ...NOT_MERGED.amount].sort(),
    );
    expect(fields(new DateColumn())).toEqual(
      ['values', 'dm', 'votes', 'voteSamples', 'numericAmbiguous', 'numericCells', 'yearFirstCells', 'problems', 'formats', 'fastSeen', 'rows', ...NOT_MERGED.date].sort(),
    );
    expect(fields(new BoolColumn())).toEqual(['values', 'problems', ...NOT_MERGED.bool].sort());
    expect(fields(new CodeColumn('invoice_status'))).toEqual(['codes', 'dict', 'index', 'known', 'counts', ...NOT_MERGED.code].sort());
  });
});

describe('merging helpers', () => {
  it('Growable.appendTail: whole arrays after the pushed rows, converted by finishAs', () => {
    const g = new GrowableInt32(2);
    for (let i = 0; i < 70000; i++) g.push(i % 100);
    g.appendTail(new Int32Array([-1, 5]));
    g.appendTail([7]);
    expect(g.total).toBe(70003);
    const out = g.finishAs(Int8Array);
    expect(out.length).toBe(70003);
    expect(Array.from(out.slice(69998))).toEqual([98, 99, -1, 5, 7]);
  });

  it('Interner.internAll gives the ids interning the strings would, on-demand or not', () => {
    const part = new Interner(true);
    for (const s of ['HD002', 'HD0003', 'AB7', 'HD002', '12', 'HD00000000000123']) part.intern(s);
    const keys = part.digitKeys()!;
    for (const onDemand of [true, false]) {
      const a = new Interner(onDemand);
      const b = new Interner(onDemand);
      for (const s of ['X1', 'HD0003', 'ZZ9']) {
        a.intern(s);
        b.intern(s);
      }
      const byKeys = Array.from(a.internAll(keys));
      const byStrings = ['HD002', 'HD0003', 'AB7', '12', 'HD00000000000123'].map((s) => b.intern(s));
      expect(byKeys).toEqual(byStrings);
      expect(a.size).toBe(b.size);
      expect(a.values).toEqual(b.values);
      expect(a.digitKeys()?.keys).toEqual(b.digitKeys()?.keys);
    }
  });
});
