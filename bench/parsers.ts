/**
 * CSV reading speed: the line floor against our parser and the two libraries.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/parsers.js [sizeMB=200] [runs=2]
 *
 * Generates (once, cached in <tmpdir>/redflag-bench/parsers-<size>mb.csv) a synthetic bids CSV with
 * quoted Vietnamese names and addresses holding commas and `""`, then times each approach over the
 * whole file (best of `runs`) and prints wall seconds, MB/s and rows. Every parser must find the
 * same rows and fields, or the run fails.
 */
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Papa from 'papaparse';
import { parse as csvParse } from 'csv-parse';
import { CsvParser } from '../src/io/csv.js';
import { openText } from '../src/io/source.js';

const MiB = 1 << 20;

interface Count {
  rows: number;
  fields: number;
}

interface Approach {
  name: string;
  note: string;
  /** parsers count fields too; line readers only rows */
  parser: boolean;
  run(file: string): Promise<Count>;
}

const approaches: Approach[] = [
  {
    name: 'stream + split("\\n")',
    note: 'line floor, not a parser',
    parser: false,
    async run(file) {
      let rows = 0;
      let rest = '';
      for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: MiB })) {
        const lines = (rest + (chunk as string)).split('\n');
        rest = lines.pop() ?? '';
        rows += lines.length;
      }
      if (rest.length > 0) rows++;
      return { rows, fields: 0 };
    },
  },
  {
    name: 'node:readline',
    note: 'lines, not records',
    parser: false,
    async run(file) {
      let rows = 0;
      const rl = createInterface({ input: createReadStream(file, { highWaterMark: MiB }), crlfDelay: Infinity });
      for await (const line of rl) if (line.length > 0) rows++;
      return { rows, fields: 0 };
    },
  },
  {
    name: 'CsvParser over openText().chunks()',
    note: 'src/io, hot path',
    parser: true,
    async run(file) {
      let rows = 0;
      let fields = 0;
      const parser = new CsvParser(',', {
        onRecord(f) {
          rows++;
          fields += f.length;
        },
        onError(line, message) {
          throw new Error(`line ${line}: ${message}`);
        },
      });
      const src = await openText(file);
      for await (const chunk of src.chunks()) parser.push(chunk);
      parser.end();
      return { rows, fields };
    },
  },
  {
    name: 'papaparse 5 (chunk, arrays)',
    note: 'differential-test oracle',
    parser: true,
    run(file) {
      return new Promise((resolve, reject) => {
        let rows = 0;
        let fields = 0;
        Papa.parse<string[]>(createReadStream(file, { encoding: 'utf8', highWaterMark: MiB }), {
          header: false,
          delimiter: ',',
          chunk(results) {
            for (const r of results.data) {
              rows++;
              fields += r.length;
            }
          },
          complete: () => resolve({ rows, fields }),
          error: (e: Error) => reject(e),
        });
      });
    },
  },
  {
    name: 'csv-parse (stream, arrays)',
    note: '',
    parser: true,
    async run(file) {
      let rows = 0;
      let fields = 0;
      const records = createReadStream(file, { highWaterMark: MiB }).pipe(csvParse({ delimiter: ',', relax_column_count: true }));
      for await (const r of records as AsyncIterable<string[]>) {
        rows++;
        fields += r.length;
      }
      return { rows, fields };
    },
  },
];

// ---- synthetic data ----

const HEADER = 'tender_id,lot_id,buyer_id,bidder_id,bidder_name,bidder_address,bid_amount,bid_date,bid_status,is_winner\n';
const NAMES = [
  'Công ty TNHH Xây dựng ""Hoàng Long""',
  'Công ty Cổ phần Thiết bị Y tế Minh An',
  'Doanh nghiệp tư nhân Phú Quý, chi nhánh 2',
  'Công ty TNHH MTV ""Sao Việt"", Hà Nội',
  'Liên danh Trường Sơn - Bắc Hà',
  'Công ty CP Đầu tư và Phát triển Hạ tầng Đông Á',
];
const STREETS = ['Lê Lợi', 'Trần Hưng Đạo', 'Nguyễn Huệ', 'Hai Bà Trưng', 'Điện Biên Phủ', 'Láng Hạ'];
const CITIES = ['TP Hồ Chí Minh', 'Hà Nội', 'Đà Nẵng', 'Cần Thơ', 'Huế'];
const STATUS = ['Đạt', 'Hợp lệ', 'Không đạt', 'Bị loại'];

async function generate(file: string, targetBytes: number): Promise<void> {
  mkdirSync(join(file, '..'), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const out = createWriteStream(tmp);
  let seed = 20240305;
  const rnd = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
  const digits = (n: number): string => String(Math.floor(rnd() * 10 ** n)).padStart(n, '0');
  let written = 0;
  let buf = HEADER;
  let tender = 0;
  while (written + buf.length < targetBytes) {
    tender++;
    const tid = `IB2400${String(tender).padStart(7, '0')}`;
    const buyer = `01${digits(8)}`;
    const n = 2 + Math.floor(rnd() * 5);
    const base = 1e8 + Math.floor(rnd() * 1e10);
    for (let b = 0; b < n; b++) {
      const name = pick(NAMES);
      const quoted = name.includes(',') || name.includes('"') || rnd() < 0.5;
      const addr = `${1 + Math.floor(rnd() * 300)} ${pick(STREETS)}, Phường ${1 + Math.floor(rnd() * 20)}, ${pick(CITIES)}`;
      const amount = Math.round(base * (0.9 + rnd() * 0.2));
      const date = `2024-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`;
      buf +=
        `${tid},${1 + Math.floor(rnd() * 3)},${buyer},03${digits(8)},${quoted ? `"${name}"` : name},"${addr}",` +
        `${amount},${date},${pick(STATUS)},${b === 0 ? 1 : 0}\n`;
    }
    if (buf.length >= MiB) {
      written += Buffer.byteLength(buf);
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
  renameSync(tmp, file);
}

// ---- run ----

async function main(): Promise<void> {
  const sizeMB = Number(process.argv[2] ?? 200);
  const runs = Math.max(1, Number(process.argv[3] ?? 2));
  if (!(sizeMB > 0)) throw new Error(`size in MB must be a positive number, got ${process.argv[2]}`);
  const file = join(tmpdir(), 'redflag-bench', `parsers-${sizeMB}mb.csv`);
  if (!existsSync(file)) {
    process.stdout.write(`generating ${file} … `);
    const t = performance.now();
    await generate(file, sizeMB * 1e6);
    process.stdout.write(`${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  }
  const bytes = statSync(file).size;
  const MB = bytes / 1e6;
  console.log(`file: ${file} (${MB.toFixed(0)} MB), Node ${process.version}, best of ${runs}\n`);

  // warm the page cache
  for await (const _ of createReadStream(file, { highWaterMark: 4 * MiB })) void _;

  const results: { a: Approach; best: number; count: Count }[] = [];
  for (const a of approaches) {
    let best = Infinity;
    let count: Count = { rows: 0, fields: 0 };
    for (let r = 0; r < runs; r++) {
      const t = performance.now();
      count = await a.run(file);
      best = Math.min(best, (performance.now() - t) / 1000);
    }
    results.push({ a, best, count });
    console.log(`  ${a.name}: ${best.toFixed(2)} s`);
  }

  const ours = results.find((r) => r.a.name.startsWith('CsvParser'))!;
  for (const r of results) {
    if (r.a.parser && (r.count.rows !== ours.count.rows || r.count.fields !== ours.count.fields)) {
      throw new Error(`${r.a.name} read ${r.count.rows} rows / ${r.count.fields} fields, CsvParser ${ours.count.rows} / ${ours.count.fields}`);
    }
  }

  const rows: string[][] = [['approach', 'wall s', 'MB/s', 'rows', 'vs CsvParser', 'note']];
  for (const r of results) {
    rows.push([
      r.a.name,
      r.best.toFixed(2),
      (MB / r.best).toFixed(0),
      String(r.count.rows),
      `${(r.best / ours.best).toFixed(2)}×`,
      r.a.note,
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  console.log();
  for (const [k, row] of rows.entries()) {
    console.log('| ' + row.map((cell, c) => (c === 0 || c === 5 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(' | ') + ' |');
    if (k === 0) console.log('|' + widths.map((w, c) => (c === 0 || c === 5 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|');
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
