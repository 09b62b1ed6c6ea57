/**
 * Streaming a JSON file one item at a time, for OCDS input (ocds.ts): a release package is one object whose
 * `releases` (or a record package's `records`) list can hold a whole country's procurement, more than one
 * string or one JSON.parse can take; JSON Lines hold one value per line.
 *
 * The text is scanned once, tracking only strings and nesting. The file may hold several top-level values
 * one after another (JSON Lines, or concatenated packages). Each element of a top-level object's `releases`
 * or `records` array, or of a top-level array, is cut out and handed on as its own text (`onElement`);
 * what is left of each top-level value, with `0` in place of each element, is handed on at its end
 * (`onValue`: the package metadata, or the whole value when it has no such list: one release of a JSON
 * Lines file). Both are then parsed with JSON.parse, which checks their syntax; the skeleton keeps the
 * commas and brackets between elements, so its parse checks those too. Only one element and one skeleton
 * are held at a time.
 */

/** Members of a top-level object whose array elements are handed on one by one. */
const STREAMED = new Set(['releases', 'records']);

/** The longest element or skeleton taken (characters): far beyond any release, well below V8's string limit. */
export const MAX_ITEM_CHARS = 256 * 1024 * 1024;

/**
 * Whether a file's text starts as a JSON object or array does: `{` then a key (or `}`), `[` then an object,
 * an array (or `]`). A CSV header may start with a bracket (`[tender_id],[buyer_id]`), never like that.
 */
export function looksLikeJson(sample: string): boolean {
  return /^[\s\uFEFF]*(\{\s*["}]|\[\s*[{[\]])/.test(sample.slice(0, 4096));
}

/** The text is not JSON (or not a JSON object or array at the top). `line` is 1-based. */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

export interface JsonItemHandlers {
  /**
   * An element of a streamed array: `member` is 'releases' or 'records' ('' for a top-level array), `index`
   * its position in that array, `value` the index of the top-level value, `line` the line it starts on.
   */
  onElement(text: string, member: string, index: number, value: number, line: number): void;
  /** The end of top-level value `value` (started on `line`): its text with each element replaced by `0`. */
  onValue(skeleton: string, value: number, line: number): void;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LF = 0x0a;
const OPEN_OBJ = 0x7b;
const CLOSE_OBJ = 0x7d;
const OPEN_ARR = 0x5b;
const CLOSE_ARR = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

function isSpace(c: number): boolean {
  return c === 0x20 || c === LF || c === 0x0d || c === 0x09;
}

/** Where a key of a top-level object stands: before the key, after it (before `:`), or in its value. */
const KEY = 0;
const COLON_NEXT = 1;
const VALUE = 2;

export class JsonItemSplitter {
  private line = 1;
  private depth = 0;
  private inString = false;
  /** the previous piece ended inside a string on an unpaired backslash */
  private escaped = false;
  /** nesting depth whose values are streamed elements (0: none) */
  private streamDepth = 0;
  private member = '';
  private elementIndex = 0;
  private valueIndex = 0;
  private valueLine = 0;
  private topIsObject = false;
  private keyState = KEY;
  /** the key being read at depth 1 (pieces), and the last complete one */
  private keyParts: string[] | null = null;
  private lastKey = '';
  private skeleton: string[] = [];
  private skeletonChars = 0;
  /** the element being cut out, or null */
  private element: string[] | null = null;
  private elementChars = 0;
  private elementLine = 0;
  private elementMember = '';

  constructor(private readonly handlers: JsonItemHandlers) {}

  /** Lines seen so far (for messages about the end of the text). */
  get lines(): number {
    return this.line;
  }

  push(s: string): void {
    const n = s.length;
    // where the text not yet given to the skeleton or the element starts in this piece
    let from = 0;
    let i = 0;
    while (i < n) {
      if (this.inString) {
        i = this.skipString(s, i);
        continue;
      }
      const c = s.charCodeAt(i);
      if (c === LF) {
        this.line++;
        i++;
        continue;
      }
      if (isSpace(c)) {
        i++;
        continue;
      }
      if (this.depth === 0) {
        if (c !== OPEN_OBJ && c !== OPEN_ARR) {
          if (c === 0xfeff && this.valueIndex === 0) {
            i++;
            from = i;
            continue;
          }
          throw new JsonSyntaxError(`${this.valueIndex === 0 ? 'does not start with' : 'expected'} a JSON object or array, found ${describeChar(s, i)}`, this.line);
        }
        this.startValue(c === OPEN_OBJ);
        from = i;
      } else if (this.element === null && this.depth === this.streamDepth && c !== COMMA && c !== CLOSE_ARR) {
        if (c !== OPEN_OBJ) throw new JsonSyntaxError(`${this.where()} is not a JSON object (found ${describeChar(s, i)})`, this.line);
        this.addSkeleton(s.slice(from, i) + '0');
        from = i;
        this.element = [];
        this.elementChars = 0;
        this.elementLine = this.line;
        this.elementMember = this.member;
      }
      if (c === QUOTE) {
        this.inString = true;
        if (this.depth === 1 && this.topIsObject && this.keyState === KEY) this.keyParts = [];
      } else if (c === OPEN_OBJ || c === OPEN_ARR) {
        // the array of a streamed member, in a top-level object
        if (c === OPEN_ARR && this.depth === 1 && this.topIsObject && this.keyState === VALUE && STREAMED.has(this.lastKey) && this.streamDepth === 0) {
          this.streamDepth = 2;
          this.member = this.lastKey;
          this.elementIndex = 0;
        }
        this.depth++;
      } else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
        this.depth--;
        if (this.element !== null && this.depth === this.streamDepth) {
          this.addElement(s.slice(from, i + 1));
          from = i + 1;
          this.endElement();
        } else if (this.streamDepth > 0 && this.depth === this.streamDepth - 1) {
          this.streamDepth = 0; // the streamed array closed
          this.member = '';
        }
        if (this.depth === 0) {
          this.addSkeleton(s.slice(from, i + 1));
          from = i + 1;
          this.endValue();
        }
      } else if (this.depth === 1 && this.topIsObject) {
        if (c === COLON && this.keyState === COLON_NEXT) this.keyState = VALUE;
        else if (c === COMMA) this.keyState = KEY;
      }
      i++;
    }
    if (this.depth > 0) {
      if (this.element !== null) this.addElement(s.slice(from));
      else this.addSkeleton(s.slice(from));
    }
  }

  /** The end of the text: a value or string left open is a syntax error. */
  end(): void {
    if (this.inString || this.depth > 0)
      throw new JsonSyntaxError(`the text ends inside ${this.element !== null ? this.where() : this.inString ? 'a string' : 'an unclosed object or array'}`, this.line);
  }

  /** From inside a string at `i`: past its closing quote, or to the end of the piece. */
  private skipString(s: string, i: number): number {
    const n = s.length;
    if (this.escaped) {
      this.escaped = false;
      if (this.keyParts) this.keyParts.push(s[i]);
      i++;
      if (i >= n) return n;
    }
    const start = i;
    for (;;) {
      const q = s.indexOf('"', i);
      if (q < 0) {
        // an odd run of backslashes at the end escapes the first character of the next piece
        let k = n - 1;
        while (k >= start && s.charCodeAt(k) === BACKSLASH) k--;
        this.escaped = (n - 1 - k) % 2 === 1;
        if (this.keyParts) this.keyParts.push(s.slice(start, n));
        return n;
      }
      let k = q - 1;
      while (k >= start && s.charCodeAt(k) === BACKSLASH) k--;
      if ((q - 1 - k) % 2 === 1) {
        i = q + 1; // an escaped quote
        if (i >= n) {
          if (this.keyParts) this.keyParts.push(s.slice(start, n));
          return n;
        }
        continue;
      }
      this.inString = false;
      if (this.keyParts) {
        this.keyParts.push(s.slice(start, q));
        this.lastKey = this.keyParts.join('');
        this.keyParts = null;
        this.keyState = COLON_NEXT;
      }
      return q + 1;
    }
  }

  private startValue(isObject: boolean): void {
    this.topIsObject = isObject;
    this.valueLine = this.line;
    this.keyState = KEY;
    this.lastKey = '';
    this.skeleton = [];
    this.skeletonChars = 0;
    if (!isObject) {
      this.streamDepth = 1; // a top-level array: its elements are the items
      this.member = '';
      this.elementIndex = 0;
    }
  }

  private endValue(): void {
    const text = this.skeleton.join('');
    this.skeleton = [];
    this.streamDepth = 0;
    this.handlers.onValue(text, this.valueIndex, this.valueLine);
    this.valueIndex++;
  }

  private endElement(): void {
    const text = this.element!.join('');
    this.element = null;
    this.handlers.onElement(text, this.elementMember, this.elementIndex, this.valueIndex, this.elementLine);
    this.elementIndex++;
  }

  private addSkeleton(piece: string): void {
    if (!piece) return;
    this.skeletonChars += piece.length;
    if (this.skeletonChars > MAX_ITEM_CHARS)
      throw new JsonSyntaxError(
        `the top-level JSON value started on line ${this.valueLine} holds more than ${MAX_ITEM_CHARS / 1024 / 1024} M characters outside a "releases" or "records" list`,
        this.line,
      );
    this.skeleton.push(piece);
  }

  private addElement(piece: string): void {
    if (!piece) return;
    this.elementChars += piece.length;
    if (this.elementChars > MAX_ITEM_CHARS)
      throw new JsonSyntaxError(`${this.where()} (from line ${this.elementLine}) holds more than ${MAX_ITEM_CHARS / 1024 / 1024} M characters`, this.line);
    this.element!.push(piece);
  }

  private where(): string {
    const member = this.element !== null ? this.elementMember : this.member;
    return `${member || 'element'}[${this.elementIndex}]`;
  }
}

function describeChar(s: string, i: number): string {
  const word = /^[^\s,;{}[\]]{1,20}/.exec(s.slice(i, i + 20))?.[0] ?? s[i];
  return JSON.stringify(word);
}
