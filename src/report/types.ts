import type { Report } from '../analyze.js';
import type { Figures } from './charts.js';

export interface RenderOptions {
  /** ANSI colours (terminal only; never in JSON) */
  color: boolean;
  /** terminal width for the table format */
  width: number;
  /** distributions drawn from the data itself (markdown and html charts); absent → charts from the report only */
  figures?: Figures;
  /**
   * detector id → evidence group (Detector.sameEvidence): findings of one group about the same firms are
   * shown under the first of them (fold.ts); absent → every finding is a row
   */
  sameEvidence?: ReadonlyMap<string, string>;
}

/** A report as one string, or as chunks written one after the other (large JSON and NDJSON reports). */
export type Renderer = (report: Report, opts: RenderOptions) => string | Iterable<string>;
/** The formats drawn whole, as one string (table, csv, markdown, html): their callers need no chunks. */
export type TextRenderer = (report: Report, opts: RenderOptions) => string;
