import type { Report } from '../analyze.js';
import type { Renderer } from './types.js';

/** Long lists are written item by item, so a report with a million findings never becomes one string. */
const STREAMED = new Set(['findings', 'entities']);

/**
 * The JSON report, schema version 1 (schema/report.schema.json), as chunks. The bytes are exactly those of
 * `JSON.stringify(report, null, 2) + '\n'`.
 */
export function* jsonChunks(report: Report): Generator<string> {
  const entries = Object.entries(report).filter(([, v]) => v !== undefined);
  yield '{\n';
  for (let i = 0; i < entries.length; i++) {
    const [key, value] = entries[i];
    const comma = i < entries.length - 1 ? ',' : '';
    if (STREAMED.has(key) && Array.isArray(value) && value.length > 0) {
      yield `  ${JSON.stringify(key)}: [\n`;
      for (let j = 0; j < value.length; j++) yield `${indent(JSON.stringify(value[j], null, 2), 4)}${j < value.length - 1 ? ',' : ''}\n`;
      yield `  ]${comma}\n`;
    } else {
      yield `  ${JSON.stringify(key)}: ${indent(JSON.stringify(value, null, 2), 2).slice(2)}${comma}\n`;
    }
  }
  yield '}\n';
}

function indent(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return pad + text.replace(/\n/g, `\n${pad}`);
}

export const renderJson: Renderer = (report) => jsonChunks(report);
