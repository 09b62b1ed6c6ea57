import { describe, expect, it } from 'vitest';
import { notCsv, sniffDialect } from '../../src/io/sniff.js';

const table = (d: string, rows: string[][]): string => rows.map((r) => r.join(d)).join('\r\n') + '\r\n';
const ROWS = [
  ['tender_id', 'bidder_id', 'bid_amount', 'bid_date'],
  ['TB-01', '0100233488', '1200', '2024-03-05'],
  ['TB-01', '0314409058', '1250', '2024-03-05'],
  ['TB-02', '0100233488', '900', '2024-04-01'],
];

describe('sniffDialect', () => {
  it.each([',', ';', '\t', '|'] as const)('finds %j', (d) => {
    expect(sniffDialect(table(d, ROWS))).toEqual({ delimiter: d, sepLine: false });
  });

  it('ignores delimiters inside quoted fields', () => {
    // semicolons inside quotes of a comma file, and commas inside quotes of a semicolon file
    const comma = 'id,name,address\n1,"A; B; C","x; y; z"\n2,"D;E","u;v"\n3,F,G\n';
    expect(sniffDialect(comma).delimiter).toBe(',');
    const semi = 'id;name;address\n1;"Công ty A, B, C";"12 Lê Lợi, Q1, HCM"\n2;"D, E";"F, G, H"\n3;X;Y\n';
    expect(sniffDialect(semi).delimiter).toBe(';');
  });

  it('is not misled by decimal commas in a semicolon file', () => {
    const text = 'id;amount;rate\n1;1.234,5;0,1\n2;99,75;0,05\n3;12;1\n';
    expect(sniffDialect(text).delimiter).toBe(';');
  });

  it('counts quoted line breaks as part of the record', () => {
    const text = 'a|b|c\n1|"multi\nline, with; commas"|3\n4|5|6\n';
    expect(sniffDialect(text).delimiter).toBe('|');
  });

  it("reads Excel's sep= line", () => {
    expect(sniffDialect('sep=;\r\na,b;c\r\n1,5;2\r\n')).toEqual({ delimiter: ';', sepLine: true });
    expect(sniffDialect('SEP=|\nx,y|z\n')).toEqual({ delimiter: '|', sepLine: true });
    expect(sniffDialect('"sep=,"\na;b,c\n')).toEqual({ delimiter: ',', sepLine: true });
    expect(sniffDialect('\ufeffsep=\t\na\tb\n')).toEqual({ delimiter: '\t', sepLine: true });
  });

  it('skips a sep= line naming an unknown delimiter and guesses from the rest', () => {
    expect(sniffDialect('sep=:\na;b\n1;2\n')).toEqual({ delimiter: ';', sepLine: true });
  });

  it('breaks ties by the header line, then prefers comma', () => {
    // one line: both split it consistently; the semicolon gives the header more fields
    expect(sniffDialect('a;b;c,d\n').delimiter).toBe(';');
    // equal in every respect: comma
    expect(sniffDialect('a,b;c\n').delimiter).toBe(',');
  });

  it('falls back to comma for a single column or empty text', () => {
    expect(sniffDialect('name\nAn\nBinh\n')).toEqual({ delimiter: ',', sepLine: false });
    expect(sniffDialect('')).toEqual({ delimiter: ',', sepLine: false });
  });

  it('uses only the first records of a long sample and tolerates a cut-off last record', () => {
    const head = table(';', ROWS);
    const body = '1;2;3;4\n'.repeat(20000); // > 64 KiB
    const text = head + body + '5;"cut off, in the mid';
    expect(sniffDialect(text).delimiter).toBe(';');
  });
});

describe('notCsv: what a text file that is not CSV is', () => {
  it.each([
    ['<!DOCTYPE html>\n<html><body><table>', /an HTML page/],
    ['\ufeff\r\n  <table border="1"><tr><td>Mã TBMT</td>', /an HTML page/],
    ['<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml">', /an HTML page/],
    ['<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">', /an Excel XML spreadsheet/],
    ['<?xml version="1.0"?>\n<rows><row/></rows>', /an XML document/],
    ['{"tender_id": "T1"}', /JSON/],
    ['[\n  {"tender_id": "T1"}\n]', /JSON/],
  ])('%j', (text, kind) => {
    expect(notCsv(text)).toMatch(kind);
  });

  it.each([['tender_id,bidder_id\nT1,S1\n'], ['[Mã TBMT];[MST nhà thầu]\n'], ['<Mã TBMT>,<MST>\n'], ['{tender_id},{bidder_id}\n'], ['']])('%j is not said to be anything else', (text) => {
    expect(notCsv(text)).toBeNull();
  });
});
