/**
 * One measured run in a fresh process (so peak RSS belongs to this run alone): `read` loads the inputs
 * into the columnar model; `analyze` runs the whole CLI pipeline with the report written to /dev/null;
 * `analyze-jobs2` the same with `--jobs 2`.
 * Prints one JSON line: { ms, maxRssMb, rows }.
 */
import { loadDataset, type InputSpec } from '../src/io/dataset.js';
import { main } from '../src/cli/main.js';
import { Writable } from 'node:stream';

async function run(): Promise<void> {
  const [mode, ...files] = process.argv.slice(2);
  const specs: InputSpec[] = files.map((f) => {
    const [kind, path] = f.split('=');
    return { kind: kind as InputSpec['kind'], path };
  });
  const t0 = performance.now();
  let rows = 0;
  if (mode === 'read') {
    const { reports } = await loadDataset(specs);
    rows = reports.reduce((n, r) => n + r.rows, 0);
  } else {
    const args = ['node', 'redflag', 'analyze', ...specs.flatMap((s) => [`--${s.kind}`, s.path]), '--format', 'json', '--output', '/dev/null', '--fail-on', 'never', ...(mode === 'analyze-jobs2' ? ['--jobs', '2'] : [])];
    let err = '';
    const sink = new Writable({ write: (_c, _e, cb) => cb() });
    const stderr = new Writable({
      write(c, _e, cb) {
        err += String(c);
        cb();
      },
    });
    const code = await main(args, { stdout: sink, stderr, stdin: process.stdin, env: {} });
    if (code !== 0) throw new Error(`analyze exited ${code}: ${err}`);
    const m = /([\d,]+) rows read/.exec(err);
    rows = m ? Number(m[1].replace(/,/g, '')) : 0;
  }
  const ms = performance.now() - t0;
  process.stdout.write(JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, rows }) + '\n');
}

run().catch((e) => {
  process.stderr.write(String(e?.stack ?? e) + '\n');
  process.exit(1);
});
