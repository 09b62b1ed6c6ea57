/**
 * A boxed text table with fixed column widths, word wrapping and per-line styles, drawn with the same
 * characters as cli-table3's default. Written here because cli-table3 0.6 computes a truncated preview of
 * every multi-line cell for each line it draws (cli-table/cli-table3#68, #362), which made a table of
 * 1,000 findings take 19 s; this one draws it in well under a second.
 *
 * Text is wrapped before it is styled, so a style (bold, colour) never spans a line break and widths are
 * measured on plain text.
 */

/** A paragraph of a cell: wrapped on its own, each of its lines passed through `style`. */
export interface Para {
  text: string;
  style?: (s: string) => string;
}

export type CellContent = string | Para[];

export interface BoxCell {
  content: CellContent;
  align?: 'left' | 'right';
}

export interface BoxOptions {
  head: string[];
  /** widths including one space of padding on each side, as cli-table3's colWidths */
  colWidths: number[];
  /** styles for the header text and for the border characters (identity when absent) */
  headStyle?: (s: string) => string;
  borderStyle?: (s: string) => string;
}

// combining marks (Vietnamese written with separate tone marks), zero-width characters
const ZERO_WIDTH = /[\p{Mn}\p{Me}\u200b-\u200f\u2060\ufeff]/u;
// East Asian wide and fullwidth ranges, and the emoji planes
const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]/u;

/**
 * Text from the data made safe for a terminal: control characters (ESC, BEL, backspace, C1 codes) would
 * otherwise reach the terminal as written — a company named "\x1b[2J…" clears the analyst's screen, and an
 * OSC sequence can retitle the window or write a hyperlink. A tab becomes a space, a CR LF or lone CR a
 * newline (the cell keeps its line break), every other control character U+FFFD.
 */
export function printable(s: string): string {
  if (!/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.test(s)) return s;
  return s
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, ' ')
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, '\ufffd');
}

/** Terminal columns a plain (un-styled) string takes. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x300) w += c >= 0x20 ? 1 : 0;
    else if (ZERO_WIDTH.test(ch)) continue;
    else w += WIDE.test(ch) ? 2 : 1;
  }
  return w;
}

/** Cut a word wider than the column into pieces that fit. */
function splitWord(word: string, width: number): string[] {
  const out: string[] = [];
  let cur = '';
  let w = 0;
  for (const ch of word) {
    const cw = displayWidth(ch);
    if (w + cw > width && cur) {
      out.push(cur);
      cur = '';
      w = 0;
    }
    cur += ch;
    w += cw;
  }
  if (cur) out.push(cur);
  return out;
}

/** Greedy word wrap of plain text to `width` columns; explicit newlines are kept, control characters replaced (`printable`). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const para of printable(text).split('\n')) {
    let line = '';
    let lw = 0;
    for (const word of para.split(' ')) {
      if (!word) continue;
      const ww = displayWidth(word);
      if (lw && lw + 1 + ww <= width) {
        line += ` ${word}`;
        lw += 1 + ww;
        continue;
      }
      if (lw) lines.push(line);
      if (ww <= width) {
        line = word;
        lw = ww;
      } else {
        const pieces = splitWord(word, width);
        line = pieces.pop()!;
        lw = displayWidth(line);
        lines.push(...pieces);
      }
    }
    lines.push(line);
  }
  return lines;
}

export class BoxTable {
  private readonly rows: BoxCell[][] = [];
  constructor(private readonly opts: BoxOptions) {}

  push(cells: (CellContent | BoxCell)[]): void {
    this.rows.push(cells.map((c) => (typeof c === 'string' || Array.isArray(c) ? { content: c } : c)));
  }

  toString(): string {
    const { colWidths, head } = this.opts;
    const border = this.opts.borderStyle ?? ((s: string) => s);
    const headStyle = this.opts.headStyle ?? ((s: string) => s);
    const rule = (l: string, m: string, r: string) => border(l + colWidths.map((w) => '─'.repeat(w)).join(m) + r);
    const out: string[] = [rule('┌', '┬', '┐')];
    const draw = (cells: BoxCell[], style?: (s: string) => string) => {
      const cols = cells.map((cell, i) => this.lines(cell, colWidths[i] - 2, style));
      const height = Math.max(1, ...cols.map((c) => c.length));
      for (let y = 0; y < height; y++) {
        let s = border('│');
        cols.forEach((c, i) => {
          const text = c[y] ?? { plain: '', styled: '' };
          const gap = ' '.repeat(Math.max(0, colWidths[i] - 2 - displayWidth(text.plain)));
          s += ' ' + (cells[i].align === 'right' ? gap + text.styled : text.styled + gap) + ' ' + border('│');
        });
        out.push(s);
      }
    };
    draw(head.map((h) => ({ content: h })), headStyle);
    for (const row of this.rows) {
      out.push(rule('├', '┼', '┤'));
      draw(row);
    }
    out.push(rule('└', '┴', '┘'));
    return out.join('\n');
  }

  private lines(cell: BoxCell, width: number, style?: (s: string) => string): { plain: string; styled: string }[] {
    const paras: Para[] = typeof cell.content === 'string' ? [{ text: cell.content, style }] : cell.content;
    const out: { plain: string; styled: string }[] = [];
    for (const p of paras) for (const line of wrap(p.text, width)) out.push({ plain: line, styled: p.style && line ? p.style(line) : line });
    return out;
  }
}
