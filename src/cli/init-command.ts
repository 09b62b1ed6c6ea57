import { existsSync, writeFileSync } from 'node:fs';
import { initText } from '../config/config.js';
import { DETECTORS } from '../detectors/index.js';
import { UsageError } from '../io/errors.js';
import { fileError } from './analyze-command.js';
import { EXIT, type Io } from './io.js';

export function runInit(opts: { output: string; force?: boolean }, io: Io): number {
  const text = initText(DETECTORS);
  if (opts.output === '-') {
    io.stdout.write(text);
    return EXIT.ok;
  }
  if (existsSync(opts.output) && !opts.force) throw new UsageError(`${opts.output} exists; use --force to overwrite it, or --output to choose another file`);
  try {
    writeFileSync(opts.output, text);
  } catch (e) {
    throw new UsageError(`cannot write --output ${opts.output}: ${fileError(e)}`);
  }
  io.stderr.write(`redflag: wrote ${opts.output}; use it with: redflag analyze --config ${opts.output} …\n`);
  return EXIT.ok;
}
