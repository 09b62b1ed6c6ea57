import type { Report } from '../analyze.js';
import type { Figures } from './charts.js';

export interface RenderOptions {
  /** ANSI colours (terminal only; never in JSON) */
  color: boolean;
  /** terminal width for the table format */
  width: number;
  /** distributions drawn from the data itself (markdown and html charts); absent → charts from the report only */
  figures?: Figures;
}

/** A report as one string, or as chunks written one after the other (large JSON and NDJSON reports). */
export type Renderer = (report: Report, opts: RenderOptions) => string | Iterable<string>;
