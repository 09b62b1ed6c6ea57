/**
 * `--jobs 2`: the detectors that read no invoices run in a worker thread (src/analyze-parallel.ts). The
 * report must be the one of a run in one thread, byte for byte, and the split must leave no detector
 * reading a table the worker does not have.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { analyzeParallel, readsNoInvoices } from '../../src/analyze-parallel.js';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { defaultConfig } from '../../src/config/config.js';
import { DETECTORS } from '../../src/detectors/index.js';
import { loadDataset } from '../../src/io/dataset.js';
import { Dataset } from '../../src/model/dataset.js';
import { datasetFrom, shareDataset } from '../../src/model/shared.js';
import { run, runHere, sample } from '../helpers/cli.js';

const root = join(import.meta.dirname, '..', '..');
const inputs = ['--bids', sample('bids-vn.csv'), sample('bids.csv'), '--companies', sample('companies.csv'), '--invoices', sample('invoices.csv')];

describe('analyze --jobs', () => {
  it('gives the same JSON report with 2 threads as with 1, and the same exit code', async () => {
    // one thread in this process; two in the compiled binary, which starts the compiled worker
    const one = await runHere(['analyze', ...inputs, '--format', 'json', '--jobs', '1']);
    const two = run(['analyze', ...inputs, '--format', 'json', '--jobs', '2']);
    expect(one.code).toBe(1);
    expect(two.code).toBe(one.code);
    expect(JSON.parse(one.stdout).findings.length).toBeGreaterThan(50);
    expect(two.stdout).toBe(one.stdout);
    // the worker really ran: a failed one falls back to this thread and says so
    expect(two.stderr).not.toContain('detector thread failed');
  });

  it('gives the same baseline with 2 threads', async () => {
    const one = await runHere(['baseline', ...inputs, '--output', '-', '--jobs', '1', '--quiet']);
    const two = run(['baseline', ...inputs, '--output', '-', '--jobs', '2', '--quiet']);
    expect(one.code).toBe(0);
    expect(two.stdout).toBe(one.stdout);
  });

  it('refuses a count that is not a whole number of at least 1 (exit 2)', async () => {
    const r = await runHere(['analyze', '--bids', sample('bids.csv'), '--jobs', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--jobs');
  });
});

describe('the second thread', () => {
  it('runs detectors that give the same outcome without the invoices table, on a dataset rebuilt from shared memory', async () => {
    const { dataset } = await loadDataset([
      { kind: 'bids', path: sample('bids.csv') },
      { kind: 'companies', path: sample('companies.csv') },
      { kind: 'invoices', path: sample('invoices.csv') },
    ]);
    const away = DETECTORS.filter(readsNoInvoices);
    const invoiceOnes = DETECTORS.filter((d) => !readsNoInvoices(d)).map((d) => d.id);
    expect(away.length).toBeGreaterThan(20);
    expect(invoiceOnes).toContain('benford');
    expect(invoiceOnes).toContain('loser-invoices-winner');
    const cfg = defaultConfig(DETECTORS);
    const full = analyze(dataset, cfg, away, 'test').report;
    const rebuilt: Dataset = datasetFrom(structuredClone(shareDataset(dataset, ['bids', 'tenders', 'companies'])));
    expect(rebuilt.invoices).toBeUndefined();
    expect(rebuilt.parties.size).toBe(dataset.parties.size);
    const there = analyze(rebuilt, cfg, away, 'test').report;
    // inputs are the same list; everything else must match
    expect(JSON.stringify(there)).toBe(JSON.stringify(full));
    expect(full.findings.length).toBeGreaterThan(20);
  });
});

describe('analyzeParallel', () => {
  const load = () =>
    loadDataset([
      { kind: 'bids', path: sample('bids.csv') },
      { kind: 'companies', path: sample('companies.csv') },
      { kind: 'invoices', path: sample('invoices.csv') },
    ]);

  it('runs the worker\'s half in a second thread and gives the report of one thread', async () => {
    const cfg = defaultConfig(DETECTORS);
    const one = analyze((await load()).dataset, cfg, DETECTORS, 'test');
    // the compiled worker (npm test builds first): under vitest this module's own URL names a .ts source
    const worker = pathToFileURL(join(root, 'dist', 'src', 'analyze-worker.js'));
    const two = await analyzeParallel((await load()).dataset, cfg, DETECTORS, 'test', { threads: 2, workerUrl: worker });
    expect(two.threads).toBe(2);
    expect(two.fallback).toBeUndefined();
    expect(JSON.stringify(two.report)).toBe(JSON.stringify(one.report));
  });

  it('runs everything here, and says why, when the worker fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redflag-worker-'));
    const broken = join(dir, 'broken-worker.mjs');
    writeFileSync(broken, "throw new Error('broken worker');\n");
    const cfg = defaultConfig(DETECTORS);
    const one = analyze((await load()).dataset, cfg, DETECTORS, 'test');
    const r = await analyzeParallel((await load()).dataset, cfg, DETECTORS, 'test', { threads: 2, workerUrl: pathToFileURL(broken) });
    expect(r.threads).toBe(1);
    expect(r.fallback).toContain('broken worker');
    expect(JSON.stringify(r.report)).toBe(JSON.stringify(one.report));
  });

  it('one thread when asked for one', async () => {
    const r = await analyzeParallel((await load()).dataset, defaultConfig(DETECTORS), DETECTORS, 'test', { threads: 1 });
    expect(r.threads).toBe(1);
  });
});
