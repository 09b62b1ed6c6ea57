import type { Renderer } from './types.js';

/** The JSON report, schema version 1 (schema/report.schema.json). */
export const renderJson: Renderer = (report) => JSON.stringify(report, null, 2) + '\n';
