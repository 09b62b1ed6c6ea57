/**
 * node dist/bench/gen/cli.js --seed S --scale N --out DIR [--clean] [--tenders N] [--invoices N] [--split-vn]
 */
import { parseArgs } from 'node:util';
import { generate } from './index.js';

const USAGE = 'usage: node dist/bench/gen/cli.js --seed S --scale N --out DIR [--clean] [--tenders N] [--invoices N] [--split-vn]';

function num(name: string, v: string | undefined, integer: boolean): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) throw new Error(`--${name} must be a ${integer ? 'non-negative integer' : 'non-negative number'}, got ${v}`);
  return n;
}

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        seed: { type: 'string' },
        scale: { type: 'string' },
        out: { type: 'string' },
        clean: { type: 'boolean' },
        tenders: { type: 'string' },
        invoices: { type: 'string' },
        'split-vn': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (!values.out) {
    process.stderr.write(`--out is required\n${USAGE}\n`);
    return 2;
  }
  try {
    const scale = num('scale', values.scale, false) ?? 1;
    const t0 = process.hrtime.bigint();
    const s = await generate({
      seed: values.seed ?? '1',
      scale,
      out: values.out,
      clean: values.clean,
      tenders: num('tenders', values.tenders, true),
      invoices: num('invoices', values.invoices, true),
      splitVn: values['split-vn'],
    });
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    const files = Object.entries(s.files).map(([f, v]) => `${f} ${v.rows} rows ${(v.bytes / 1048576).toFixed(1)} MB`).join(', ');
    process.stderr.write(`wrote ${values.out}: ${files}; ${Object.keys(s.planted).length} planted schemes; ${secs.toFixed(1)} s\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    return (e as Error).message.startsWith('--') ? 2 : 3;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
