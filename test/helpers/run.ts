/** Test helpers: run detectors on fixture files through the real loader and pipeline. */
import { analyze, type Report } from '../../src/analyze.js';
import { applySelection, applySets, defaultConfig } from '../../src/config/config.js';
import { DETECTORS } from '../../src/detectors/index.js';
import { loadDataset, type InputSpec } from '../../src/io/dataset.js';
import { entityKey } from '../../src/scoring/rank.js';

export async function runOn(specs: InputSpec[], detectors: string[], sets: string[] = []): Promise<Report> {
  const { dataset } = await loadDataset(specs);
  let cfg = applySelection(defaultConfig(DETECTORS), detectors, undefined, DETECTORS);
  cfg = applySets(cfg, sets, DETECTORS);
  const { report, errors } = analyze(dataset, cfg, DETECTORS, 'test');
  if (errors.length) throw errors[0].error;
  return report;
}

/** Every entity key ("tender:T1", "company:ACME") named by a finding of the report. */
export function flaggedKeys(report: Report): Set<string> {
  return new Set(report.findings.flatMap((f) => f.entities.map(entityKey)));
}
