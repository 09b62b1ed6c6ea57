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

export type Renderer = (report: Report, opts: RenderOptions) => string;
