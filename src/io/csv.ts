/**
 * Streaming RFC-4180 parser on decoded text.
 *
 * Text arrives in chunks of any size, split at any position; the parser carries its state across
 * them, so a record cut between `\r` and `\n`, or between the two quotes of a `""` escape, parses
 * exactly as it would in one piece.
 *
 * Dialect:
 * - records end at LF, CRLF or a lone CR; the same three count as one physical line each, inside
 *   quoted fields too (line numbers stay right after quoted newlines);
 * - a field that starts with `"` is quoted: it may hold the delimiter, line breaks and `""` (one quote);
 * - a quote anywhere else in an unquoted field is an ordinary character;
 * - characters between a closing quote and the next delimiter or line end are appended to the field
 *   as written (`"ab"cd` reads `abcd`), rather than rejecting the row;
 * - completely empty lines are skipped and counted in `blankLines`; a line holding only `""` is a
 *   record with one empty field;
 * - ragged records are passed on with as many fields as they have: field counts are the caller's
 *   business;
 * - fields are plain strings: no trimming, no typing;
 * - one leading U+FEFF (byte-order mark) of the whole input is dropped.
 *
 * At end of input, a quoted field that never closed makes the whole record unreadable: it is
 * reported through `onError` with the line it started on and the physical lines it spanned, and
 * nothing is emitted for it.
 *
 * Speed: unquoted stretches are found with `indexOf` on cached positions of the next delimiter,
 * line feed, carriage return and quote (each cache only moves forward, so every character is
 * scanned a bounded number of times), and a record without any quote is cut with one native
 * `split`. Fields are `slice`s of the chunk; partial fields are joined only at chunk boundaries and
 * at `""` escapes, never character by character.
 *
 * Note for callers that keep fields for the whole run (dictionaries, interners): V8 may represent a
 * slice as a view into its chunk, which keeps the whole chunk alive; flatten long-lived strings.
 */

export interface CsvHandlers {
  /** one record; `line` = 1-based physical line on which the record starts */
  onRecord(fields: string[], line: number): void;
  /**
   * a record that cannot be read (unterminated quote at end of input); `lines` = physical lines it spanned;
   * `fields` = the fields read before the open quote, then the open field's text so far (its `""` read as `"`)
   */
  onError(line: number, message: string, lines: number, fields: string[]): void;
}

const LF = 10;
const CR = 13;
const QUOTE = 34;
const BOM = 0xfeff;

/** Parser states between characters (and so between chunks). */
const enum S {
  /** at the start of a record (or of a line holding nothing yet) */
  RecordStart,
  /** at the start of a field after a delimiter */
  FieldStart,
  /** inside an unquoted field; its text so far is in `partial` */
  Unquoted,
  /** inside a quoted field; its text so far is in `partial` */
  Quoted,
  /** inside a quoted field right after a quote that may be a closing quote or the first half of `""` */
  QuoteSeen,
  /** after the closing quote; lenient characters are appended to `partial` until a delimiter or line end */
  AfterClose,
}

export class CsvParser {
  private readonly delim: string;
  private readonly delimCode: number;
  private readonly handlers: CsvHandlers;

  private state: S = S.RecordStart;
  private fields: string[] = [];
  private partial = '';
  /** 1-based number of the physical line being read */
  private line = 1;
  /** line on which the open record started */
  private recordLine = 1;
  /** last character of the previous non-empty chunk was CR (a LF opening the next chunk belongs to it) */
  private prevCR = false;
  /** last character consumed ended a line (or nothing was consumed yet) */
  private atLineStart = true;
  private started = false;
  private ended = false;
  private blank = 0;

  /**
   * `continuation`: the text is the rest of an input cut at a record boundary (split.ts): a leading U+FEFF
   * is a character, not a byte-order mark, and lines count from 1 again.
   */
  constructor(delimiter: string, handlers: CsvHandlers, continuation = false) {
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
      throw new Error(`CSV delimiter must be one character other than a quote or line break, got ${JSON.stringify(delimiter)}`);
    }
    this.delim = delimiter;
    this.delimCode = delimiter.charCodeAt(0);
    this.handlers = handlers;
    this.started = continuation;
  }

  /** Between records, and at the start of a line: the text read so far ends exactly at a record boundary. */
  get atRecordStart(): boolean {
    return this.state === S.RecordStart && this.atLineStart && !this.prevCR;
  }

  /** Inside a quoted field that has not closed yet: its 1-based field and the line its record started on, else null. */
  get openQuote(): { field: number; line: number } | null {
    if (this.state !== S.Quoted) return null;
    return { field: this.fields.length + 1, line: this.recordLine };
  }

  /** Completely empty lines skipped so far. */
  get blankLines(): number {
    return this.blank;
  }

  /** Physical lines consumed so far (after `end()`, including a last line without a line break). */
  get lines(): number {
    return this.line - 1;
  }

  push(chunk: string): void {
    if (this.ended) throw new Error('CsvParser.push() after end()');
    let start = 0;
    if (!this.started) {
      if (chunk.length === 0) return;
      this.started = true;
      if (chunk.charCodeAt(0) === BOM) start = 1;
    }
    const len = chunk.length;
    if (start >= len) return;
    this.parse(chunk, start);
    const last = chunk.charCodeAt(len - 1);
    this.prevCR = last === CR;
    this.atLineStart = last === CR || last === LF;
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    const lastLineHasText = !this.atLineStart;
    if (lastLineHasText) this.line++;
    switch (this.state) {
      case S.RecordStart:
        break;
      case S.FieldStart:
        this.fields.push('');
        this.emit();
        break;
      case S.Unquoted:
      case S.QuoteSeen:
      case S.AfterClose:
        this.fields.push(this.partial);
        this.partial = '';
        this.emit();
        break;
      case S.Quoted: {
        const spanned = this.line - this.recordLine;
        const fields = [...this.fields, this.partial];
        this.fields = [];
        this.partial = '';
        this.handlers.onError(this.recordLine, 'unterminated quoted field', spanned, fields);
        break;
      }
    }
    this.state = S.RecordStart;
  }

  private emit(): void {
    const fields = this.fields;
    this.fields = [];
    this.handlers.onRecord(fields, this.recordLine);
  }

  private parse(s: string, i: number): void {
    const len = s.length;
    const delim = this.delim;
    const dc = this.delimCode;
    const handlers = this.handlers;
    let state = this.state;
    let fields = this.fields;
    let partial = this.partial;
    let line = this.line;
    let recordLine = this.recordLine;
    const prevCR = this.prevCR;

    // Next occurrence at or after the scan position; `len` when there is none.
    // Each is refreshed only when the scan position has passed it.
    let nDelim = -1;
    let nLF = -1;
    let nCR = -1;
    let nQuote = -1;

    while (i < len) {
      // Refresh the caches here and only here. Each character has a single search site: TurboFan
      // treats these searches as pure, merges identical ones and schedules the merged search where it
      // dominates all its uses, i.e. on every iteration, which turns a search for an absent character
      // (no CR in an LF file) into a scan to the end of the chunk per field.
      if (nDelim < i) nDelim = idx(s, delim, i, len);
      if (nLF < i) nLF = idx(s, '\n', i, len);
      if (nCR < i) nCR = idx(s, '\r', i, len);
      if (nQuote < i) nQuote = idx(s, '"', i, len);
      switch (state) {
        case S.RecordStart: {
          const c = s.charCodeAt(i);
          if (c === LF) {
            // the LF of a CRLF whose CR ended the previous record (or blank line)
            if (!(i > 0 ? s.charCodeAt(i - 1) === CR : prevCR)) {
              this.blank++;
              line++;
            }
            i++;
            continue;
          }
          if (c === CR) {
            this.blank++;
            line++;
            i++;
            continue;
          }
          recordLine = line;
          if (c !== QUOTE) {
            // Whole-record fast path: a record with no quote before its line end is cut by split().
            const eol = nLF < nCR ? nLF : nCR;
            if (eol < len) {
              if (nQuote > eol) {
                handlers.onRecord(s.slice(i, eol).split(delim), recordLine);
                line++;
                i = eol + 1;
                continue;
              }
            }
          }
          state = S.FieldStart;
          continue; // same character, now as the start of the first field
        }
        case S.FieldStart: {
          partial = '';
          if (s.charCodeAt(i) === QUOTE) {
            state = S.Quoted;
            i++;
          } else {
            state = S.Unquoted;
          }
          continue;
        }
        case S.Unquoted:
        case S.AfterClose: {
          // Unquoted text (or lenient text after a closing quote) runs to the next delimiter or line end.
          let end = nDelim;
          if (nLF < end) end = nLF;
          if (nCR < end) end = nCR;
          if (end >= len) {
            partial = partial.length === 0 ? s.slice(i) : partial + s.slice(i);
            i = len;
            continue;
          }
          fields.push(partial.length === 0 ? s.slice(i, end) : partial + s.slice(i, end));
          partial = '';
          if (s.charCodeAt(end) === dc) {
            state = S.FieldStart;
            i = end + 1;
            continue;
          }
          handlers.onRecord(fields, recordLine);
          fields = [];
          line++;
          state = S.RecordStart;
          i = end + 1;
          continue;
        }
        case S.Quoted: {
          const q = nQuote;
          // count the line breaks inside the quoted text up to the quote (or the chunk end)
          while (nLF < q) {
            if (!(nLF > 0 ? s.charCodeAt(nLF - 1) === CR : prevCR)) line++;
            nLF = idx(s, '\n', nLF + 1, len);
          }
          while (nCR < q) {
            line++;
            nCR = idx(s, '\r', nCR + 1, len);
          }
          if (q >= len) {
            partial = partial.length === 0 ? s.slice(i) : partial + s.slice(i);
            i = len;
            continue;
          }
          if (q + 1 < len) {
            if (s.charCodeAt(q + 1) === QUOTE) {
              // `""`: keep one quote, stay inside the field
              partial += s.slice(i, q + 1);
              i = q + 2;
              continue;
            }
            partial = partial.length === 0 ? s.slice(i, q) : partial + s.slice(i, q);
            i = q + 1;
            state = S.AfterClose;
            // the closing quote is most often followed directly by the delimiter or line end
            const c = s.charCodeAt(i);
            if (c === dc) {
              fields.push(partial);
              partial = '';
              state = S.FieldStart;
              i++;
            } else if (c === LF || c === CR) {
              fields.push(partial);
              partial = '';
              handlers.onRecord(fields, recordLine);
              fields = [];
              line++;
              state = S.RecordStart;
              i++;
            }
            continue;
          }
          // the quote is the last character of the chunk: the next chunk decides
          partial = partial.length === 0 ? s.slice(i, q) : partial + s.slice(i, q);
          state = S.QuoteSeen;
          i = len;
          continue;
        }
        case S.QuoteSeen: {
          if (s.charCodeAt(i) === QUOTE) {
            partial += '"';
            state = S.Quoted;
            i++;
            continue;
          }
          state = S.AfterClose;
          const c = s.charCodeAt(i);
          if (c === dc) {
            fields.push(partial);
            partial = '';
            state = S.FieldStart;
            i++;
          } else if (c === LF || c === CR) {
            fields.push(partial);
            partial = '';
            handlers.onRecord(fields, recordLine);
            fields = [];
            line++;
            state = S.RecordStart;
            i++;
          }
          continue;
        }
      }
    }

    this.state = state;
    this.fields = fields;
    this.partial = partial;
    this.line = line;
    this.recordLine = recordLine;
  }
}

/** indexOf that returns `len` (past the end) instead of -1, so positions compare without special cases. */
function idx(s: string, ch: string, from: number, len: number): number {
  const p = s.indexOf(ch, from);
  return p < 0 ? len : p;
}
