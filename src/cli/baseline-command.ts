/**
 * `redflag baseline`: run the detectors on historical data and write what they scored against (their
 * `reference`: percentiles, fences and base rates per segment) with the tool version, the configuration
 * and its hash, and the row counts of the history. `analyze --baseline` then scores new batches against it.
 */
import { analyzeParallel } from '../analyze-parallel.js';
import { DETECTORS } from '../detectors/index.js';
import { makeBaseline } from '../scoring/baseline.js';
import { collectorFor } from '../graph/dataset-cache.js';
import { plural } from '../util/format.js';
import { checkNotInput, checkWritable, fileError, inputFiles, loadConfig, loadInputs, nothingChecked, type InputOptions } from './analyze-command.js';
import { EXIT, toolVersion, type Io } from './io.js';
import { Progress } from './progress.js';
import { regularFileFd, writeToFd, writeToFile } from './write-report.js';

export interface BaselineOptions extends InputOptions {
  config?: string;
  set?: string[];
  output: string;
  /** threads for the detectors (analyze-parallel.ts) */
  jobs?: number;
}

export async function runBaseline(opts: BaselineOptions, io: Io): Promise<number> {
  const registry = io.registry ?? DETECTORS;
  const config = loadConfig({ config: opts.config, set: opts.set }, registry);
  if (opts.output !== '-') checkWritable(opts.output, '--output');
  checkNotInput([{ path: opts.rejects, flag: '--rejects' }, { path: opts.output, flag: '--output' }], inputFiles(opts));
  const progress = new Progress(io.stderr, !opts.quiet && !!io.stderr.isTTY, io.progressMinBytes);
  const loaded = await loadInputs(opts, config, io, progress, 'freeze');
  if (!loaded) return EXIT.usage;
  const { dataset, reports } = loaded;

  progress.stage('running detectors');
  const { report, errors, references, fallback } = await analyzeParallel(dataset, config, registry, toolVersion(), {
    threads: opts.jobs,
    onDetector: (id, i, n) => progress.stage(`running detectors (${i + 1}/${n}): ${id}`),
    collectGarbage: collectorFor(dataset),
  });
  progress.done();
  if (fallback && !opts.quiet) io.stderr.write(`redflag: warning: --jobs ${opts.jobs}: the detector thread failed (${fallback}); its detectors ran in this one\n`);
  for (const { id, error } of errors)
    io.stderr.write(`redflag: detector ${id} crashed (a bug; please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  if (errors.length) return EXIT.internal;
  nothingChecked(report);

  const baseline = makeBaseline(config, toolVersion(), references, reports);
  const text = JSON.stringify(baseline, null, 2) + '\n';
  if (opts.output === '-') {
    // a file-backed stdout (> baseline.json) is written so that a short write on a full disk is exit 2
    const fd = regularFileFd(io.stdout);
    if (fd !== null) writeToFd(fd, text);
    else io.stdout.write(text);
  }
  // a file written in full or not at all (a full disk removes the incomplete file: exit 2)
  else writeToFile(opts.output, text, fileError);

  if (!opts.quiet) {
    const frozen = Object.keys(baseline.references);
    const ran = report.detectors.filter((d) => d.status === 'ran').map((d) => d.id);
    const without = ran.filter((id) => !frozen.includes(id));
    const rows = Object.entries(baseline.rows)
      .map(([k, n]) => plural(n, `${k} row`))
      .join(', ');
    io.stderr.write(
      `redflag: baseline from ${rows}: ${frozen.length} detector reference${frozen.length === 1 ? '' : 's'} frozen` +
        `${frozen.length ? ` (${frozen.join(', ')})` : ''}; ${without.length} detector${without.length === 1 ? '' : 's'} ran without one` +
        ` (absolute thresholds only); config ${baseline.configHash}${opts.output === '-' ? '' : `, written to ${opts.output}`}${progress.elapsed()}\n`,
    );
  }
  return EXIT.ok;
}
