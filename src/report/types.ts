import type { Report } from '../analyze.js';

export interface RenderOptions {
  /** ANSI colours (terminal only; never in JSON) */
  color: boolean;
  /** terminal width for the table format */
  width: number;
}

export type Renderer = (report: Report, opts: RenderOptions) => string;
