/**
 * Ground truth: one row per planted entity and per detector the planting is meant to trigger.
 * `detail` is `key=value` pairs separated by `;`; every row has `instance=<kind>-<n>`, the
 * planted instance it belongs to (one instance can appear under several schemes).
 */
import { BufferedWriter, cell } from './csv.js';
import type { Buyer, Firm } from './entities.js';
import type { TenderSpec } from './tenders.js';

export type EntityType = 'tender' | 'company' | 'buyer' | 'invoice' | 'group';

interface Row {
  scheme: string;
  type: EntityType;
  ref: TenderSpec | Firm | Buyer | string;
  inst: string;
  extra: string;
}

export interface SchemeCount {
  instances: number;
  tender: number;
  company: number;
  buyer: number;
  invoice: number;
  group: number;
}

export class Truth {
  private readonly rows: Row[] = [];

  tender(scheme: string, spec: TenderSpec, inst: string, extra = ''): void {
    this.rows.push({ scheme, type: 'tender', ref: spec, inst, extra });
  }

  company(scheme: string, firm: Firm, inst: string, extra = ''): void {
    this.rows.push({ scheme, type: 'company', ref: firm, inst, extra });
  }

  buyer(scheme: string, buyer: Buyer, inst: string, extra = ''): void {
    this.rows.push({ scheme, type: 'buyer', ref: buyer, inst, extra });
  }

  invoice(scheme: string, id: string, inst: string, extra = ''): void {
    this.rows.push({ scheme, type: 'invoice', ref: id, inst, extra });
  }

  group(scheme: string, id: string, inst: string, extra = ''): void {
    this.rows.push({ scheme, type: 'group', ref: id, inst, extra });
  }

  /** The first instance each planted company was recorded under. */
  companyInstances(): Map<Firm, string> {
    const m = new Map<Firm, string>();
    for (const r of this.rows) if (r.type === 'company' && !m.has(r.ref as Firm)) m.set(r.ref as Firm, r.inst);
    return m;
  }

  private static id(r: Row): string {
    if (typeof r.ref === 'string') return r.ref;
    return r.ref.id;
  }

  /** Rows with ids resolved, duplicates (same scheme, type, id) dropped, in insertion order. */
  resolved(): { scheme: string; type: EntityType; id: string; detail: string; inst: string }[] {
    const seen = new Set<string>();
    const out: { scheme: string; type: EntityType; id: string; detail: string; inst: string }[] = [];
    for (const r of this.rows) {
      const id = Truth.id(r);
      const key = `${r.scheme}\u0000${r.type}\u0000${id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ scheme: r.scheme, type: r.type, id, inst: r.inst, detail: `instance=${r.inst}${r.extra ? ';' + r.extra : ''}` });
    }
    return out;
  }

  async write(path: string): Promise<{ rows: number; bySchemes: Record<string, SchemeCount> }> {
    const w = new BufferedWriter(path);
    w.write('scheme,entity_type,entity_id,detail\n');
    const by: Record<string, SchemeCount & { insts: Set<string> }> = {};
    for (const r of this.resolved()) {
      w.line(`${r.scheme},${r.type},${cell(r.id)},${cell(r.detail)}`);
      const c = (by[r.scheme] ??= { instances: 0, tender: 0, company: 0, buyer: 0, invoice: 0, group: 0, insts: new Set() });
      c[r.type]++;
      c.insts.add(r.inst);
      await w.maybeFlush();
    }
    await w.close();
    const bySchemes: Record<string, SchemeCount> = {};
    for (const k of Object.keys(by).sort()) {
      const { insts, ...rest } = by[k];
      bySchemes[k] = { ...rest, instances: insts.size };
    }
    return { rows: w.rows, bySchemes };
  }
}
