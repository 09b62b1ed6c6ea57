/**
 * `npm run bench`: generate (once, cached under the temp dir) an economy of ~1M bids and ~5M invoices,
 * then measure reading alone, a full analyze and one with `--jobs 2`, each in a fresh process: wall time, rows/s, MB/s of CSV,
 * peak RSS. A smaller economy is measured too, to show how cost grows with rows. For reading only:
 * tests never assert times.
 *
 *   npm run bench                     # 1M bids + 5M invoices, and a 1/5 economy
 *   npm run bench -- --scale 0.2      # only the small one (quick look)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { generate } from './gen/index.js';

type Mode = 'read' | 'analyze' | 'analyze-jobs2';

const FULL = { tenders: 200_000, invoices: 5_000_000 };

async function economy(fraction: number): Promise<{ dir: string; files: string[]; bytes: number }> {
  const tenders = Math.round(FULL.tenders * fraction);
  const invoices = Math.round(FULL.invoices * fraction);
  const dir = join(tmpdir(), 'redflag-bench', `seed1-t${tenders}-i${invoices}`);
  if (!existsSync(join(dir, 'summary.json'))) {
    process.stderr.write(`generating ${tenders.toLocaleString('en-US')} tenders and ${invoices.toLocaleString('en-US')} invoices into ${dir} …\n`);
    const t0 = performance.now();
    await generate({ seed: 1, out: dir, tenders, invoices });
    process.stderr.write(`  generated in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  const files = ['bids=bids.csv', 'companies=companies.csv', 'invoices=invoices.csv'].map((f) => {
    const [k, n] = f.split('=');
    return `${k}=${join(dir, n)}`;
  });
  const bytes = files.reduce((s, f) => s + statSync(f.split('=')[1]).size, 0);
  return { dir, files, bytes };
}

function measure(mode: Mode, files: string[]): { ms: number; maxRssMb: number; rows: number } {
  const script = join(import.meta.dirname, 'run-one.js');
  const out = execFileSync(process.execPath, [script, mode, ...files], { encoding: 'utf8', maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.trim().split('\n').pop()!);
}

async function bench(): Promise<void> {
  const arg = process.argv.indexOf('--scale');
  const fractions = arg > 0 ? [Number(process.argv[arg + 1])] : [0.2, 1];
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
  console.log('');
  console.log('| economy | stage | rows | CSV MB | wall s | rows/s | MB/s | peak RSS MB |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|');
  for (const f of fractions) {
    const { files, bytes } = await economy(f);
    const mb = bytes / 1e6;
    for (const mode of ['read', 'analyze', 'analyze-jobs2'] as const) {
      const r = measure(mode, files);
      const s = r.ms / 1000;
      console.log(
        `| ${f === 1 ? 'full' : `×${f}`} | ${mode === 'analyze-jobs2' ? 'analyze --jobs 2' : mode} | ${r.rows.toLocaleString('en-US')} | ${mb.toFixed(0)} | ${s.toFixed(1)} | ${Math.round(r.rows / s).toLocaleString('en-US')} | ${(mb / s).toFixed(0)} | ${r.maxRssMb.toFixed(0)} |`,
      );
    }
  }
}

bench().catch((e) => {
  console.error(e);
  process.exit(1);
});
