/**
 * Detector cases as data: test/fixtures/<detector-id>/cases.json lists, per case, the input files, optional
 * `--set` overrides and what must happen. Read here once for the cases test and for the detector pages
 * (scripts/detector-docs.ts), whose examples are the first `flag` case of each detector.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { InputSpec } from '../../src/io/dataset.js';
import type { TableKind } from '../../src/model/schema.js';

export const KINDS = ['flag', 'clean', 'boundary', 'missing'] as const;
export type Kind = (typeof KINDS)[number];

/** The input tables a case may name, in the order the CLI reads them. */
export const CASE_TABLES = ['tenders', 'bids', 'companies', 'invoices'] as const satisfies readonly TableKind[];

export interface Case {
  kind: Kind;
  name: string;
  bids?: string | string[];
  tenders?: string | string[];
  companies?: string | string[];
  invoices?: string | string[];
  set?: string[];
  expect: {
    status?: 'ran' | 'skipped';
    reason?: string;
    error?: string;
    count?: number;
    minCount?: number;
    flagged?: string[];
    notFlagged?: string[];
    severity?: Record<string, 'low' | 'medium' | 'high'>;
    applied?: number;
    notApplicable?: Record<string, number>;
  };
}

/**
 * The repository root: two levels above this file in test/helpers, three when compiled to
 * dist/test/helpers (the docs script runs from dist/).
 */
export const ROOT = [resolve(import.meta.dirname, '..', '..'), resolve(import.meta.dirname, '..', '..', '..')].find((d) =>
  existsSync(join(d, 'package.json')),
)!;

export const FIXTURES = join(ROOT, 'test', 'fixtures');

/** The fixture directories that hold cases (a detector id each). */
export function caseDirs(): string[] {
  return readdirSync(FIXTURES)
    .filter((d) => existsSync(join(FIXTURES, d, 'cases.json')))
    .sort();
}

export function casesOf(dir: string): Case[] {
  return JSON.parse(readFileSync(join(FIXTURES, dir, 'cases.json'), 'utf8')) as Case[];
}

/** A case's input files, as paths relative to its fixture directory, with their table. */
export function caseFiles(c: Case): { kind: (typeof CASE_TABLES)[number]; file: string }[] {
  return CASE_TABLES.flatMap((kind) => {
    const v = c[kind];
    return (v === undefined ? [] : Array.isArray(v) ? v : [v]).map((file) => ({ kind, file }));
  });
}

/** What the loader is given for a case: its files under test/fixtures/<dir>/. */
export function caseSpecs(dir: string, c: Case): InputSpec[] {
  return caseFiles(c).map(({ kind, file }) => ({ kind, path: join(FIXTURES, dir, file) }));
}
