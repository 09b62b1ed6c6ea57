/**
 * Seeded generator of a Vietnamese-style procurement economy with planted schemes and their
 * ground truth. `generate()` writes bids.csv (and bids-vn.csv with `splitVn`), companies.csv,
 * invoices.csv, truth.csv and summary.json into `out`; same options → byte-identical files.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BidEngine, BidWriters, type FactualCounts } from './bids.js';
import { BufferedWriter, cell } from './csv.js';
import { deriveDisqualifications, deriveTruth } from './derive.js';
import { iso, yearOf } from './dates.js';
import { InvoiceGenerator, planInvoiceFirms, type InvoiceStats } from './invoices.js';
import { Planner } from './plan.js';
import { Rng } from './rng.js';
import { Pools, makeHonestSpecs, resetSpecCounter, type TenderSpec } from './tenders.js';
import { Truth, type SchemeCount } from './truth.js';
import { PROVINCES } from './vn-data.js';
import { buildWorld, sizesFor, type World } from './world.js';

export interface GenerateOptions {
  seed: number | string;
  /** ≈ 100·scale tenders, ~25 invoices per tender. Default 1. */
  scale?: number;
  out: string;
  /** Plant no schemes (the ordinary traps stay). */
  clean?: boolean;
  tenders?: number;
  invoices?: number;
  /** Write the tenders of the first half of the buyers to bids-vn.csv in the Vietnamese layout. */
  splitVn?: boolean;
}

export interface Summary {
  generator: string;
  options: { seed: string; scale: number; tenders: number; invoices: number; clean: boolean; splitVn: boolean };
  files: Record<string, { rows: number; bytes: number }>;
  counts: {
    buyers: number;
    companies: number;
    tenders: number;
    tendersInVnFile: number;
    lots: number;
    awards: number;
    bids: number;
    invoices: number;
    plantedTenders: number;
  };
  invoices: InvoiceStats;
  planted: Record<string, SchemeCount>;
  /** Facts over all tender lots, planted or not: what a factual detector will see. */
  background: FactualCounts;
  traps: {
    businessCentres: { address: string; firms: number }[];
    incumbents: number;
    landlords: number;
    subscriptionSellers: number;
    recurringContracts: number;
    twoWayTradePairs: number;
  };
}

export const OUTPUT_FILES = ['bids.csv', 'bids-vn.csv', 'companies.csv', 'invoices.csv', 'truth.csv', 'summary.json'];

export const COMPANY_HEADER = [
  'company_id', 'name', 'address', 'phone', 'email', 'website', 'bank_account', 'representative', 'owners',
  'registration_date', 'closure_date', 'status', 'province',
];

async function writeCompanies(path: string, world: World): Promise<{ rows: number; bytes: number }> {
  const w = new BufferedWriter(path);
  w.write(COMPANY_HEADER.join(',') + '\n');
  const order = world.firms.slice().sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const f of order) {
    w.line(
      [
        f.id, cell(f.name), cell(f.address), cell(f.phone), cell(f.email), cell(f.website), cell(f.bank), cell(f.representative),
        cell(f.owners), iso(f.registered), f.closed === Infinity ? '' : iso(f.closed), f.status, cell(PROVINCES[f.province].name),
      ].join(','),
    );
    await w.maybeFlush();
  }
  await w.close();
  return { rows: w.rows, bytes: w.bytes };
}

function assignIds(rng: Rng, specs: TenderSpec[]): void {
  specs.sort((a, b) => a.published - b.published || a.sortKey - b.sortKey || a.n - b.n);
  const next = new Map<number, number>();
  for (const s of specs) {
    const y = yearOf(s.published);
    let c = next.get(y);
    if (c === undefined) c = rng.range(10000, 60000);
    c += rng.range(1, 12);
    next.set(y, c);
    s.id = `IB${String(y % 100).padStart(2, '0')}${String(c).padStart(8, '0')}`;
  }
}

export async function generate(opts: GenerateOptions): Promise<Summary> {
  const seed = String(opts.seed);
  const scale = opts.scale ?? 1;
  const clean = !!opts.clean;
  const splitVn = !!opts.splitVn;
  const out = opts.out;
  await mkdir(out, { recursive: true });
  for (const f of OUTPUT_FILES) await rm(join(out, f), { force: true });

  resetSpecCounter();
  const root = new Rng(`redflag-gen/${seed}`);
  const sizes = sizesFor(scale, opts.tenders, opts.invoices);
  const world = buildWorld(root.fork('world'), sizes);
  const truth = new Truth();

  const planner = new Planner(root.fork('plan'), world, truth);
  const planA = clean ? { specs: [] as TenderSpec[], buyerFactor: new Map<number, number>(), instances: 0 } : planner.planA();
  const honestCount = Math.max(0, sizes.tenders - planA.specs.length);
  const honest = makeHonestSpecs(root.fork('tenders'), world, honestCount, (b) => b.weight * (planA.buyerFactor.get(b.idx) ?? 1));
  const bidders = world.firms.filter((f) => f.bidWeight > 0).length;
  const honestBids = honest.reduce((s, t) => s + t.nBids * Math.max(1, t.lots), 0);
  if (!clean) planner.planB(honest, honestBids / Math.max(1, bidders));
  const invPlan = clean || sizes.invoices === 0 ? null : planInvoiceFirms(root.fork('invoice-firms'), world, truth);

  const specs = [...planA.specs, ...honest];
  assignIds(root.fork('ids'), specs);

  const files: Summary['files'] = {};
  files['companies.csv'] = await writeCompanies(join(out, 'companies.csv'), world);

  const engine = new BidEngine(root.fork('bids'), world, new Pools(world.firms));
  const writers = new BidWriters(out, world, splitVn, root);
  let lots = 0;
  for (const s of specs) {
    const l = engine.run(s);
    lots += l.length;
    await writers.write(s, l);
  }
  await writers.close();
  if (!clean) {
    deriveTruth(truth, engine.awards, world.firms);
    deriveDisqualifications(truth, engine.byBuyer, world.buyers);
  }

  const inv = new InvoiceGenerator(root.fork('invoices'), world, engine.awards, truth, invPlan, join(out, 'invoices.csv'));
  const invStats = await inv.run();

  const t = await truth.write(join(out, 'truth.csv'));

  const { statSync } = await import('node:fs');
  const size = (f: string): number => statSync(join(out, f)).size;
  files['bids.csv'] = { rows: writers.canonicalRows, bytes: size('bids.csv') };
  if (splitVn) files['bids-vn.csv'] = { rows: writers.vnRows, bytes: size('bids-vn.csv') };
  files['invoices.csv'] = { rows: invStats.rows, bytes: size('invoices.csv') };
  files['truth.csv'] = { rows: t.rows, bytes: size('truth.csv') };
  files['companies.csv'].bytes = size('companies.csv');

  const summary: Summary = {
    generator: 'redflag bench/gen',
    options: { seed, scale, tenders: sizes.tenders, invoices: sizes.invoices, clean, splitVn },
    files: Object.fromEntries(Object.keys(files).sort().map((k) => [k, files[k]])),
    counts: {
      buyers: world.buyers.length,
      companies: world.firms.length,
      tenders: specs.length,
      tendersInVnFile: writers.vnTenders,
      lots,
      awards: engine.awards.length,
      bids: writers.canonicalRows + writers.vnRows,
      invoices: invStats.rows,
      plantedTenders: specs.filter((s) => s.plan || s.mod || s.billing).length,
    },
    invoices: invStats,
    planted: t.bySchemes,
    background: engine.factual,
    traps: {
      businessCentres: world.centres.map((c) => ({ address: c.address, firms: c.firms.length })),
      incumbents: world.incumbents.length,
      landlords: world.landlords.length,
      subscriptionSellers: world.subscriptionSellers.length,
      recurringContracts: invStats.recurringContracts,
      twoWayTradePairs: invStats.twoWayPairs,
    },
  };
  await writeFile(join(out, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  return summary;
}
