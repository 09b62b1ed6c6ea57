/**
 * The --rejects file holds each rejected record as it stood in its file, so that an analyst can repair it
 * and read it again: the fields joined with the file's own delimiter and quoted where needed, and for an
 * unterminated quoted field the record from its first field to the end of the file (it was empty).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { recordText } from '../../src/cli/analyze-command.js';

const dir = mkdtempSync(join(tmpdir(), 'redflag-rejects-'));

/** The rows of the rejects file (file, line, reason, record), without its header. */
const rejectsOf = (path: string): string[][] => (parse(readFileSync(path, 'utf8'), { relax_column_count: false }) as string[][]).slice(1);

const HEADER = 'Số hóa đơn;Ngày lập;MST người bán;Tổng tiền chưa thuế;Tên hàng hóa dịch vụ';

describe('--rejects records', () => {
  it('a ;-delimited record with a quoted ; and quotes: written with ;, quoted, and parsed back to the same fields', async () => {
    const input = join(dir, 'semicolon.csv');
    writeFileSync(
      input,
      [HEADER, '1;05/03/2024;0100233488;1.000.000;Xi măng', ';05/03/2024;0100233488;1.500.000;"Xi măng; cát; đá"', '3;06/03/2024;0100233488;2.000.000;"say ""hi""";extra', ''].join('\n'),
    );
    const out = join(dir, 'semicolon-rejects.csv');
    const r = await cli(['analyze', '--invoices', input, '--rejects', out, '--max-reject-rate', '1', '--format', 'json', '--fail-on', 'never', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const rows = rejectsOf(out);
    expect(rows.map((x) => x.slice(1, 3))).toEqual([
      ['3', 'no number'],
      ['4', 'expected 5 fields, found 6'],
    ]);
    expect(rows[0][3]).toBe(';05/03/2024;0100233488;1.500.000;"Xi măng; cát; đá"');
    expect(rows[1][3]).toBe('3;06/03/2024;0100233488;2.000.000;"say ""hi""";extra');
    const back = (record: string) => (parse(record, { delimiter: ';', relax_column_count: true }) as string[][])[0];
    expect(back(rows[0][3])).toEqual(['', '05/03/2024', '0100233488', '1.500.000', 'Xi măng; cát; đá']);
    expect(back(rows[1][3])).toEqual(['3', '06/03/2024', '0100233488', '2.000.000', 'say "hi"', 'extra']);

    // repaired (an invoice number filled in), the record is read as a row
    const repaired = join(dir, 'repaired.csv');
    writeFileSync(repaired, `${HEADER}\n2${rows[0][3]}\n`);
    const again = await cli(['analyze', '--invoices', repaired, '--format', 'json', '--fail-on', 'never', '--quiet', '--rejects', join(dir, 'none.csv')]);
    expect(again.code, again.stderr).toBe(0);
    expect(rejectsOf(join(dir, 'none.csv'))).toEqual([]);
  });

  it('an unterminated quoted field: the record from its first field on, with the opening quote', async () => {
    const input = join(dir, 'open-quote.csv');
    writeFileSync(input, 'tender_id,buyer_id,bidder_id,bid_amount,bidder_name\nT1,B1,A1,100,Acme\nT2,B1,A2,200,"Beta, ""the"" firm\nT3,B1,A3,300,Gamma\n');
    const out = join(dir, 'open-quote-rejects.csv');
    const r = await cli(['analyze', '--bids', input, '--rejects', out, '--max-reject-rate', '1', '--format', 'json', '--fail-on', 'never', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const rows = rejectsOf(out);
    expect(rows).toHaveLength(1);
    expect(rows[0].slice(1, 3)).toEqual(['3', 'unterminated quoted field in column 5 "bidder_name", running to the end of the file']);
    // exactly the text of the file from the record's start
    expect(rows[0][3]).toBe('T2,B1,A2,200,"Beta, ""the"" firm\nT3,B1,A3,300,Gamma\n');
  });

  it('recordText quotes only what needs it, with the given delimiter', () => {
    expect(recordText({ fields: ['a', 'b,c', 'd;e'], delimiter: ';' })).toBe('a;b,c;"d;e"');
    expect(recordText({ fields: ['a', 'b\tc', 'x"y', 'l1\nl2'], delimiter: '\t' })).toBe('a\t"b\tc"\t"x""y"\t"l1\nl2"');
    expect(recordText({ fields: ['a', 'open ""'], delimiter: '|', unterminated: true })).toBe('a|"open """"');
  });
});
