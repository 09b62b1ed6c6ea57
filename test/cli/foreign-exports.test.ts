/**
 * Files as other people's systems hand them out, given where a CSV is expected: a workbook, an archive, a
 * PDF, a web page saved as .xls, JSON, a cut-off download, a quote that never closes, lost line breaks, a
 * row of column numbers under the header. Each is read, or refused with exit 2 and one message that names
 * the file (and the line and column where there is one), never a stack trace.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'redflag-foreign-'));
function file(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

const HEAD = 'tender_id,buyer_id,bidder_id,bidder_name,bid_amount';
const ROWS = ['T1,0100233488,0314409058,Acme,1000', 'T1,0100233488,0100109106,Beta,1100', 'T2,0100233488,0314409058,Acme,2000', 'T2,0100233488,0100109106,Beta,2100'];
const CSV = [HEAD, ...ROWS].join('\n') + '\n';

/** A ZIP archive holding one stored file, as zip tools write it (local header, data, central directory). */
function zipOf(name: string, data: string): Buffer {
  const body = deflateRawSync(Buffer.from(data));
  const n = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(body.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(n.length, 26);
  return Buffer.concat([local, n, body, Buffer.from([0x50, 0x4b, 0x05, 0x06]), Buffer.alloc(18)]);
}

async function analyze(path: string, ...extra: string[]) {
  return cli(['analyze', '--bids', path, '--format', 'json', '--fail-on', 'never', ...extra]);
}

function refused(r: { code: number; stderr: string }, path: string, message: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toContain(path);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('documents that are not CSV', () => {
  it.each([
    ['an .xlsx workbook', 'book.csv', zipOf('[Content_Types].xml', '<Types/>'), /book\.csv: not a text file \(an Excel \.xlsx workbook, a ZIP archive; open it in a spreadsheet program and save the sheet as CSV\)/],
    ['an .ods spreadsheet', 'sheet.csv', zipOf('mimetype', 'application/vnd.oasis.opendocument.spreadsheet'), /sheet\.csv: not a text file \(an OpenDocument file \(\.ods\)/],
    ['a ZIP archive holding the CSV', 'bids.zip', zipOf('bids-2024.csv', CSV), /bids\.zip: not a text file \(a ZIP archive whose first file is "bids-2024\.csv"; unzip it and give the CSV inside\)/],
    ['a gzip-compressed ZIP archive', 'bids.csv.gz', gzipSync(zipOf('bids-2024.csv', CSV)), /bids\.csv\.gz: not a text file \(a ZIP archive whose first file is "bids-2024\.csv"/],
    ['a PDF', 'report.csv', Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n', 'latin1'), /report\.csv: not a text file \(a PDF document; export the table from its source as CSV\)/],
    ['a web page saved as .xls', 'export.xls', '\n<html><head><meta charset="utf-8"></head><body><table><tr><td>Mã TBMT</td></tr></table></body></html>\n', /export\.xls: not a CSV file \(an HTML page, as web portals save under a \.xls name\); open it in a spreadsheet program/],
    ['an Excel XML spreadsheet', 'export.xml', '<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet/></Workbook>\n', /export\.xml: not a CSV file \(an Excel XML spreadsheet\)/],
  ])('%s: analyze and inspect exit 2 saying what the file is', async (_, name, content, message) => {
    const p = file(name, content);
    refused(await analyze(p), p, message);
    // also when an encoding is named: a workbook is not text in any encoding
    if (Buffer.isBuffer(content) && content[0] === 0x50) refused(await analyze(p, '--encoding', 'windows-1252'), p, message);
    refused(await cli(['inspect', p]), p, message);
  });

  it('JSON: analyze --bids points at --ocds; inspect reads it as JSON and says it is not OCDS', async () => {
    const p = file('bids.json', '[{"tender_id": "T1", "buyer_id": "B1", "bidder_id": "S1", "bid_amount": 100}]\n');
    refused(await analyze(p), p, /bids\.json: not a CSV file \(JSON\): give OCDS JSON with --ocds, or export the table as CSV/);
    refused(await cli(['inspect', p]), p, /bids\.json: JSON but not OCDS: no "releases" or "records" list/);
  });

  it('a CSV whose first header cell starts with a bracket is still read', async () => {
    const p = file('brackets.csv', '[tender_id],[buyer_id],[bidder_id],[bid_amount]\nT1,B1,S1,5\n');
    const r = await cli(['inspect', p, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).files[0]).toMatchObject({ kind: 'bids', rows: 1 });
  });
});

describe('a download cut short', () => {
  it('a truncated .gz: exit 2 saying the file is incomplete', async () => {
    const gz = gzipSync(Buffer.from(CSV.repeat(200)));
    const p = file('cut.csv.gz', gz.subarray(0, Math.floor(gz.length / 2)));
    refused(await analyze(p), p, /cut\.csv\.gz: corrupt gzip data \(unexpected end of file\): the file is cut short, e\.g\. an interrupted download/);
  });
});

describe('a quote that never closes', () => {
  it('on the last line: the row is rejected, and the message names the file, the line and the column', async () => {
    const p = file('open-last.csv', CSV + 'T3,0100233488,0314409058,"Acme, unfinished,3000');
    const r = await analyze(p, '--max-reject-rate', '0.5');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${p}: 1 row rejected: unterminated quoted field in column 4 "bidder_name", running to the end of the file (1 row); first at line 6`);
  });

  it('in the header: exit 2 naming the line and the field, not "no header"', async () => {
    const p = file('open-header.csv', 'tender_id,buyer_id,"bidder_id,bid_amount\nT1,B1,S1,5\nT2,B1,S2,6\n');
    const message = /open-header\.csv: line 1, field 3: a quote opens and never closes, so the rest of the file reads as one field and no header is found; close or remove that quote/;
    refused(await analyze(p), p, message);
    refused(await cli(['inspect', p]), p, message);
  });
});

describe('lost line breaks', () => {
  it('a whole file on one line after the header: the reject says the rows run together', async () => {
    const p = file('one-line.csv', HEAD + '\n' + 'T1,0100233488,0314409058,Acme,1000,'.repeat(20000) + '\n');
    const r = await analyze(p);
    refused(r, p, /first at line 2: expected 5 fields, found 100001 \(rows run together: are the line breaks missing\?\)/);
  });

  it('no line break at all: the header message says how many fields line 1 holds', async () => {
    const p = file('no-breaks.csv', 'T1,0100233488,0314409058,Acme,1000;'.repeat(2000));
    refused(await analyze(p), p, /Line 1 holds 8,001 fields \(rows run together: are the line breaks missing\?\)/);
  });
});

describe('the header and the lines around it', () => {
  it('a row numbering the columns under the header ("(1)", "(2)"…) is skipped and reported, not read as a bid', async () => {
    const p = file('numbered.csv', [HEAD, '(1),(2),(3),(4),(5)=(3)x(4)', ...ROWS].join('\n') + '\n');
    const r = await analyze(p);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.inputs[0].rows).toBe(4);
    expect(r.stderr).toContain(`${p}: line 2 under the header numbers the columns ("(1)", "(2)", "(3)"…), skipped`);
  });

  it('a first row that only starts like column numbers is data', async () => {
    const p = file('numbered-not.csv', [HEAD, '1,2,3,Acme,5', ...ROWS].join('\n') + '\n');
    const r = await analyze(p);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).inputs[0].rows).toBe(5);
    expect(r.stderr).not.toContain('numbers the columns');
  });

  it('a header below the first 20 lines: the message says where the header was looked for', async () => {
    const notes = Array.from({ length: 22 }, (_, i) => `Note ${i + 1}`).join('\n');
    const p = file('deep-header.csv', notes + '\n' + CSV);
    refused(await analyze(p), p, /\(line 1: the header has "Note 1"; nor has any other of the first 20 lines, where the header is looked for: remove the lines above the header\)/);
  });

  it('inspect counts one blank line in the singular', async () => {
    const p = file('one-blank.csv', CSV.replace('\nT2', '\n\nT2'));
    const r = await cli(['inspect', p]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('4 read, 0 rejected, 1 blank line skipped');
  });
});

describe('merged cells', () => {
  it('a tender_id written only on the first row of each tender: the reject-rate error says to fill the column down', async () => {
    const p = file('merged.csv', [HEAD, ROWS[0], ',' + ROWS[1].split(',').slice(1).join(','), ROWS[2], ',' + ROWS[3].split(',').slice(1).join(',')].join('\n') + '\n');
    const r = await analyze(p);
    refused(r, p, /2 of 4 rows rejected \(50\.0%, more than --max-reject-rate 5\.0%\); first at lines 3, 5: no tender_id \(if the export writes the tender_id only on the first row of a group, as merged cells do, fill the column down\)/);
  });
});
