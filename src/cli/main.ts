/**
 * The command line: the only place commander lives. Parses flags, reads inputs, runs the pipeline,
 * writes the report and turns the outcome into an exit code (OUTPUT.md):
 * 0 clean · 1 findings at or above --fail-on · 2 usage, config or input error · 3 a detector crashed.
 */
import { Command, CommanderError, Option } from 'commander';
import { InputError, UsageError } from '../io/errors.js';
import { runAnalyze } from './analyze-command.js';
import { runDetectors, runExplain } from './detectors-command.js';
import { runInit } from './init-command.js';
import { runInspect } from './inspect-command.js';
import { expandPatterns } from './globs.js';
import { FORMATS } from '../report/index.js';
import { runBaseline } from './baseline-command.js';
import { ENCODINGS } from '../io/source.js';
import { EXIT, toolVersion, type Io } from './io.js';

export { EXIT, toolVersion, type Io };

/** --jobs, on analyze and baseline */
const JOBS_OPTION = [
  '--jobs <n>',
  'threads for the detectors: 1 runs them one after another; 2 runs those that read no invoices in a second thread (faster on large inputs, more memory); more than 2 acts as 2',
  (v: string) => positiveInt('--jobs', v),
  1,
] as const;

const collect = (v: string, prev: string[] = []) => [...prev, v];
/**
 * A comma-separated list of ids. An empty value (`--detectors "$DETECTORS"` with the variable unset) is a
 * usage error: taken as "no selection" it ran every detector.
 */
const list = (flag: string) => (v: string, prev: string[] = []) => {
  const ids = v.split(',').map((s) => s.trim()).filter(Boolean);
  if (!ids.length) throw new UsageError(`${flag} is empty: give detector ids separated by commas, or leave the option out`);
  return [...prev, ...ids];
};

/**
 * An option given an empty value on the command line (`--baseline "$BASELINE"` with the variable unset) is
 * a usage error, not the option left out: a CI job would silently run without its baseline, config,
 * column map or rejects file, or print the report it meant to write to a file.
 */
function refuseEmptyValues(cmd: Command): void {
  for (const o of cmd.options) {
    const key = o.attributeName();
    if (cmd.getOptionValueSource(key) !== 'cli') continue;
    const v: unknown = cmd.getOptionValue(key);
    const empty = (x: unknown) => typeof x === 'string' && x.trim() === '';
    if (empty(v) || (Array.isArray(v) && v.some(empty)))
      throw new UsageError(`${o.long ?? o.flags} is empty: give ${/<(file|reports)/.test(o.flags) ? 'a file' : 'a value'}, or leave the option out`);
  }
}

/**
 * A reader that stops early (`redflag … | head`) closes the pipe: writing more fails with EPIPE. That is
 * not an error of the run — the rest of the output is dropped and the run ends with the exit code it
 * would have had. Any other write error on stdout is reported on stderr, as an exit 2; one on stderr has
 * nowhere to go and is dropped. The listeners stay: a write's error can arrive after main() has returned.
 */
/** Resolves once the writes queued on a stream have completed or failed (an empty write's callback comes after them). */
function flushed(out: NodeJS.WritableStream): Promise<void> {
  const w = out as NodeJS.WritableStream & { destroyed?: boolean; writableEnded?: boolean };
  if (w.destroyed || w.writableEnded || typeof w.write !== 'function') return Promise.resolve();
  return new Promise((resolve) => {
    try {
      w.write('', () => resolve());
    } catch {
      resolve();
    }
  });
}

function watchOutputs(io: Io): () => Error | null {
  let failed: Error | null = null;
  for (const s of [io.stdout, io.stderr])
    if (typeof s.on === 'function')
      s.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED' && s === io.stdout) failed ??= e;
      });
  return () => failed;
}

const defaultIo = (): Io => ({ stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env });

export function buildProgram(io: Io, setCode: (code: number) => void): Command {
  const program = new Command();
  program
    .name('redflag')
    .description('Find bid rigging, collusion and group-interest schemes in procurement exports: bids, e-invoices, company registries.')
    .version(toolVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError('(run with --help for usage)')
    .hook('preAction', (_program, action) => refuseEmptyValues(action));

  program
    .command('analyze')
    .description('read the inputs, run the detectors and print ranked, explained findings')
    .option('--bids <files...>', 'bids exports (one row per bid); - for stdin; .gz allowed')
    .option('--tenders <files...>', 'tenders exports (one row per tender or lot)')
    .option('--companies <files...>', 'company registry exports')
    .option('--invoices <files...>', 'e-invoice exports')
    .option('--ocds <files...>', 'OCDS JSON: release or record packages, JSON Lines of releases, records or compiled releases (bids, tenders and companies)')
    .option('--config <file>', 'config file (JSON with comments; see `redflag init`)')
    .addOption(new Option('-f, --format <format>', 'report format').choices(FORMATS).default('table'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--top <n>', 'show only the N highest-ranked findings', (v) => positiveInt('--top', v))
    .addOption(new Option('--min-severity <level>', 'show only findings at or above this severity').choices(['low', 'medium', 'high']).default('low'))
    .addOption(new Option('--fail-on <level>', 'exit 1 when a finding is at or above this severity').choices(['low', 'medium', 'high', 'never']).default('high'))
    .option('--detectors <ids>', 'run only these detectors (comma-separated)', list('--detectors'))
    .option('--exclude <ids>', 'do not run these detectors (comma-separated)', list('--exclude'))
    .option('--set <detector.param=value>', 'set a detector parameter (repeatable)', collect)
    .option('--baseline <file>', 'score against the frozen references of a baseline (`redflag baseline`) instead of this batch')
    .option('--force', 'use a --baseline made by another version or configuration (warns)')
    .option('--new-since <reports...>', 'report only findings whose id is in none of these previous reports (--format json or ndjson); only new ones fail the run')
    .option('--rejects <file>', 'write rejected rows (file, line, reason, record) to this CSV file')
    .option('--max-reject-rate <rate>', 'stop with exit 2 when a file rejects more than this share of its rows (default 0.05)', (v) => rate('--max-reject-rate', v))
    .option('--map <file>', 'column map: JSON {"Header as written": "canonical"}, optionally per table')
    .addOption(new Option('--date-order <order>', 'order of ambiguous dates (default: decided per column, day first when undecidable)').choices(['dmy', 'mdy', 'ymd']))
    .addOption(new Option('--encoding <name>', 'encoding of every input instead of detecting it').choices(ENCODINGS))
    .option('--no-color', 'no colours even on a terminal')
    .option(...JOBS_OPTION)
    .option('--quiet', 'no warnings or progress on stderr (errors still)')
    .action(async (opts) => setCode(await runAnalyze(expandInputs(opts, io), io)));

  program
    .command('baseline')
    .description('run the detectors on history and freeze their data-relative cut-offs (percentiles per segment) for analyze --baseline')
    .option('--bids <files...>', 'historical bids exports')
    .option('--tenders <files...>', 'historical tenders exports')
    .option('--companies <files...>', 'company registry exports')
    .option('--invoices <files...>', 'historical e-invoice exports')
    .option('--ocds <files...>', 'historical OCDS JSON files')
    .option('--config <file>', 'config file (the baseline records its hash; analyze must use the same)')
    .option('--set <detector.param=value>', 'set a detector parameter (repeatable)', collect)
    .requiredOption('-o, --output <file>', 'where to write the baseline (JSON); - for stdout')
    .option('--rejects <file>', 'write rejected rows (file, line, reason, record) to this CSV file')
    .option('--max-reject-rate <rate>', 'stop with exit 2 when a file rejects more than this share of its rows (default 0.05)', (v) => rate('--max-reject-rate', v))
    .option('--map <file>', 'column map, as for analyze')
    .addOption(new Option('--date-order <order>', 'order of ambiguous dates').choices(['dmy', 'mdy', 'ymd']))
    .addOption(new Option('--encoding <name>', 'encoding of every input instead of detecting it').choices(ENCODINGS))
    .option(...JOBS_OPTION)
    .option('--quiet', 'no warnings or progress on stderr (errors still)')
    .action(async (opts) => setCode(await runBaseline(expandInputs(opts, io), io)));

  program
    .command('detectors')
    .description('list the detectors: id, title, family, needed columns, parameters')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'markdown']).default('table'))
    .action((opts) => setCode(runDetectors(opts, io)));

  program
    .command('explain')
    .description('long help for one detector: definition, formula, parameters, why it is a red flag, sources, false positives')
    .argument('<id>', 'detector id (see `redflag detectors`)')
    .action((id: string) => setCode(runExplain(id, io)));

  program
    .command('inspect')
    .description('what each file is: kind, encoding, delimiter, column mapping, value conventions, row count, problems')
    .argument('<files...>', 'files to inspect (- for stdin)')
    .addOption(new Option('--kind <kind>', 'read the files as this table instead of guessing').choices(['bids', 'tenders', 'companies', 'invoices']))
    .option('--map <file>', 'column map, as for analyze')
    .addOption(new Option('--date-order <order>', 'order of ambiguous dates').choices(['dmy', 'mdy', 'ymd']))
    .addOption(new Option('--encoding <name>', 'encoding of every input instead of detecting it').choices(ENCODINGS))
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (files: string[], opts) => setCode(await runInspect(expandPatterns(files, noMatch('inspect'))!, opts, io)));

  program
    .command('init')
    .description('write a config file with every default and a comment per parameter')
    .option('-o, --output <file>', 'where to write it (- for stdout)', 'redflag.config.jsonc')
    .option('--force', 'overwrite an existing file')
    .action((opts) => setCode(runInit(opts, io)));

  return program;
}

const noMatch = (flag: string) => (pattern: string): string[] => {
  throw new UsageError(`${flag} ${pattern}: no file matches this pattern`);
};

/**
 * Input files and --new-since reports given as patterns the shell did not expand (Windows shells; bash when
 * nothing matches). An input pattern matching nothing is a usage error (exit 2); a --new-since pattern
 * matching nothing means there is no previous report yet: every finding is new.
 */
function expandInputs<T extends { bids?: string[]; tenders?: string[]; companies?: string[]; invoices?: string[]; ocds?: string[]; newSince?: string[]; quiet?: boolean }>(opts: T, io: Io): T {
  const out = { ...opts };
  for (const kind of ['bids', 'tenders', 'companies', 'invoices', 'ocds'] as const) out[kind] = expandPatterns(opts[kind], noMatch(`--${kind}`));
  out.newSince = expandPatterns(opts.newSince, (pattern) => {
    if (!opts.quiet) io.stderr.write(`redflag: warning: --new-since ${pattern} matches no file: no previous report, every finding is new\n`);
    return [];
  });
  return out;
}

function positiveInt(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} expects a whole number ≥ 1, got "${v}"`);
  return n;
}

function rate(flag: string, v: string): number {
  // Number('') is 0: an empty value would mean "reject nothing"
  if (v.trim() === '') throw new UsageError(`${flag} is empty: give a number between 0 and 1, or leave the option out`);
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new UsageError(`${flag} expects a number between 0 and 1, got "${v}"`);
  return n;
}

/** Run the CLI; resolves to the exit code instead of exiting, so tests can call it in-process. */
export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  let code: number = EXIT.ok;
  const outputError = watchOutputs(io);
  const program = buildProgram(io, (c) => (code = c));
  try {
    if (argv.length <= 2) {
      program.outputHelp({ error: true });
      return EXIT.usage;
    }
    await program.parseAsync(argv);
  } catch (e) {
    code = handleError(e, io);
  }
  // everything written to stdout has gone out (or failed) before the exit code is decided: a full disk
  // behind `> baseline.json`, or /dev/full, is exit 2 for every command, not only analyze
  await flushed(io.stdout);
  const failed = outputError();
  if (failed && code !== EXIT.internal) {
    io.stderr.write(`redflag: cannot write the output: ${failed.message}\n`);
    return EXIT.usage;
  }
  return code;
}

export function handleError(e: unknown, io: Io): number {
  if (e instanceof CommanderError) {
    // help asked for (--help, help, help analyze) is exit 0; help shown as an error (`help bogus`, `--` with
    // no command) carries commander's non-zero exit code and is a usage error like the others
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    return EXIT.usage; // commander has already printed its message
  }
  if (e instanceof InputError || e instanceof UsageError) {
    io.stderr.write(`redflag: ${e.message}\n`);
    return EXIT.usage;
  }
  const err = e as NodeJS.ErrnoException;
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string' && err.syscall) {
    io.stderr.write(`redflag: ${err.message}\n`);
    return EXIT.usage;
  }
  io.stderr.write(`redflag: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return EXIT.internal;
}
