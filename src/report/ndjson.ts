import type { Renderer } from './types.js';

/** One finding per line, in rank order, for jq and streaming consumers. */
export const renderNdjson: Renderer = (report) => report.findings.map((f) => JSON.stringify(f) + '\n').join('');
