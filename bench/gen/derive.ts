/**
 * Truth rows that follow from the drawn bids rather than from a plan alone: a planted firm that
 * ends up holding most of one buyer's awards is a repeat winner there, and a planted tender won
 * at ≥ 99% of its estimate is a near-estimate win — whichever scheme put it there.
 */
import type { Award } from './bids.js';
import type { Buyer, Firm } from './entities.js';
import type { TenderSpec } from './tenders.js';
import type { Truth } from './truth.js';

export function deriveTruth(truth: Truth, awards: Award[], firms: Firm[]): void {
  const instOf = truth.companyInstances();
  const perBuyer = new Map<Buyer, number>();
  const perPair = new Map<string, { buyer: Buyer; firm: Firm; specs: TenderSpec[] }>();
  for (const a of awards) {
    const b = a.spec.buyer;
    perBuyer.set(b, (perBuyer.get(b) ?? 0) + 1);
    const f = firms[a.winner];
    if (!instOf.has(f)) continue;
    const k = `${b.idx}:${a.winner}`;
    let p = perPair.get(k);
    if (!p) perPair.set(k, (p = { buyer: b, firm: f, specs: [] }));
    p.specs.push(a.spec);
  }
  for (const p of perPair.values()) {
    const total = perBuyer.get(p.buyer)!;
    const n = p.specs.length;
    if (n < 5 || n / total < 0.5) continue;
    const inst = instOf.get(p.firm)!;
    const detail = `awards=${n}/${total};derived=share`;
    truth.buyer('repeat-winner', p.buyer, inst, `winner=${p.firm.id};${detail}`);
    truth.company('repeat-winner', p.firm, inst, `buyer=${p.buyer.id};${detail}`);
    for (const s of p.specs) if (s.plan) truth.tender('repeat-winner', s, inst, 'derived=share');
  }
  for (const a of awards) {
    const s = a.spec;
    if (!s.plan || s.lots || a.amount / s.estimate < 0.99) continue;
    truth.tender('near-estimate-win', s, s.plan.inst, 'ratio>=0.99;derived=ratio');
  }
}
