import type { Renderer } from './types.js';

/** One finding per line, in rank order, for jq and streaming consumers. */
export const renderNdjson: Renderer = function* (report) {
  for (const f of report.findings) yield JSON.stringify(f) + '\n';
};
