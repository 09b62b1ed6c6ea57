/** Reporters keyed by format: adding a format is one file and one line here. */
import { renderCsv } from './csv.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import { renderJson } from './json.js';
import { renderNdjson } from './ndjson.js';
import { renderTable } from './table.js';
import type { Renderer } from './types.js';

export const RENDERERS = {
  table: renderTable,
  json: renderJson,
  ndjson: renderNdjson,
  csv: renderCsv,
  markdown: renderMarkdown,
  html: renderHtml,
} satisfies Record<string, Renderer>;

export type Format = keyof typeof RENDERERS;
export const FORMATS = Object.keys(RENDERERS) as Format[];
