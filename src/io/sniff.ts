/**
 * Guesses the delimiter of a CSV from the start of its text.
 *
 * Each candidate delimiter is tried with the real (quote-aware) parser over the first records of the
 * sample, so delimiters inside quoted fields do not count. The winner is the candidate whose field
 * count per record is most consistent and greater than one; ties go to the candidate that splits the
 * header line into more fields, then to the earlier of `, ; \t |`.
 *
 * Excel's `sep=;` first line names the delimiter outright; `sepLine: true` tells the loader to skip it.
 */
import { CsvParser } from './csv.js';

export interface Dialect {
  delimiter: ',' | ';' | '\t' | '|';
  sepLine: boolean;
}

const CANDIDATES: readonly Dialect['delimiter'][] = [',', ';', '\t', '|'];
/** Records looked at per candidate. */
const MAX_RECORDS = 30;
/** Characters of the sample looked at; a sample at least this long may end inside a record. */
const MAX_CHARS = 64 * 1024;

const SEP_LINE = /^"?sep=(.)"?[ \t]*(?:\r\n|\n|\r|$)/i;

export function sniffDialect(sample: string): Dialect {
  let text = sample.charCodeAt(0) === 0xfeff ? sample.slice(1) : sample;
  const sep = SEP_LINE.exec(text);
  if (sep) {
    const d = sep[1] as Dialect['delimiter'];
    if (CANDIDATES.includes(d)) return { delimiter: d, sepLine: true };
    // a delimiter we do not read: still skip the line, and guess from the rest
    text = text.slice(sep[0].length);
    return { delimiter: guess(text), sepLine: true };
  }
  return { delimiter: guess(text), sepLine: false };
}

interface Score {
  delimiter: Dialect['delimiter'];
  /** share of records whose field count equals the most common count */
  consistency: number;
  /** the most common field count */
  mode: number;
  /** fields in the first record (the header) */
  header: number;
}

function guess(text: string): Dialect['delimiter'] {
  // A sample shorter than MAX_CHARS is the whole file: its last record counts even without a line end.
  const whole = text.length < MAX_CHARS;
  const part = whole ? text : text.slice(0, MAX_CHARS);
  let best: Score | null = null;
  for (const delimiter of CANDIDATES) {
    const counts = fieldCounts(part, delimiter, whole);
    if (counts.length === 0) continue;
    const s = score(delimiter, counts);
    if (s.mode <= 1) continue;
    if (best === null || better(s, best)) best = s;
  }
  return best ? best.delimiter : ',';
}

function better(a: Score, b: Score): boolean {
  if (a.consistency !== b.consistency) return a.consistency > b.consistency;
  if (a.header !== b.header) return a.header > b.header;
  return false; // candidates are tried in preference order
}

function score(delimiter: Dialect['delimiter'], counts: number[]): Score {
  const freq = new Map<number, number>();
  let mode = counts[0];
  let top = 0;
  for (const c of counts) {
    const f = (freq.get(c) ?? 0) + 1;
    freq.set(c, f);
    // ties between counts go to the larger count
    if (f > top || (f === top && c > mode)) {
      top = f;
      mode = c;
    }
  }
  return { delimiter, consistency: top / counts.length, mode, header: counts[0] };
}

const ENOUGH = new Error('enough records');

function fieldCounts(text: string, delimiter: string, whole: boolean): number[] {
  const counts: number[] = [];
  const parser = new CsvParser(delimiter, {
    onRecord(fields) {
      counts.push(fields.length);
      if (counts.length >= MAX_RECORDS) throw ENOUGH;
    },
    onError() {},
  });
  try {
    parser.push(text);
    if (whole) parser.end();
  } catch (e) {
    if (e !== ENOUGH) throw e;
  }
  return counts;
}

/**
 * What a text file that is not CSV is, from its first characters, for the message when its first line holds
 * no table header: the HTML tables web portals save under a .xls name, Excel's XML spreadsheet, JSON.
 * Consulted only once the header has failed, so a CSV whose first cell starts with `<` or `[` still reads.
 */
export function notCsv(sample: string): string | null {
  const head = sample.slice(0, 4096).replace(/^[\ufeff\s]+/, '').toLowerCase();
  const open = 'open it in a spreadsheet program and save the sheet as CSV';
  if (/^<(!doctype html|html|head|body|meta|table|style|title)\b/.test(head) || (head.startsWith('<?xml') && head.includes('<html')))
    return `not a CSV file (an HTML page, as web portals save under a .xls name); ${open}`;
  if (head.startsWith('<?xml') && head.includes('urn:schemas-microsoft-com:office:spreadsheet')) return `not a CSV file (an Excel XML spreadsheet); ${open}`;
  if (head.startsWith('<?xml')) return 'not a CSV file (an XML document); export the table as CSV';
  if (/^(\{\s*"|\[\s*[{[])/.test(head)) return 'not a CSV file (JSON): give OCDS JSON with --ocds, or export the table as CSV';
  return null;
}
