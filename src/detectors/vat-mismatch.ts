import { ramp } from '../scoring/score.js';
import { invoiceIndex, stableOrder } from '../graph/invoice-index.js';
import { invoiceEntity, invoiceKey, invoiceRef, uniqueKeys } from './invoice-facts.js';
import { defineDetector, type FindingDraft } from './types.js';
import { companyEntity, fmtAmount, fmtPct, partyLabel, plural, round } from './util.js';
import { isoDay, isoToMs } from '../util/dates.js';

type Kind = 'amount' | 'rate-not-allowed' | 'unknown-rate' | 'implied-rate';

interface Problem {
  inv: number;
  kind: Kind;
  score: number;
  rate: string;
  expected: number;
  vat: number;
}

const EXEMPT = new Set(['KCT', 'KKKNT']);

export default defineDetector({
  id: 'vat-mismatch',
  title: 'VAT does not match the amount and rate, or the rate was not allowed on that date',
  family: 'invoice',
  rationale: 'The VAT on an invoice is the net amount times a legal rate; a VAT that does not add up, or a reduced rate used outside the period it was allowed, is either an error or a way to under-declare or over-claim VAT.',
  sources: ['VN Law on VAT 48/2024/QH15 (rates)', 'VN Decrees 15/2022, 44/2023, 94/2023, 72/2024, 180/2024, 174/2025 (the 8% reduced rate)', 'VN Decree 123/2020/ND-CP art. 10 (invoice content)'],
  needs: ['invoices.seller_id', 'invoices.issue_date'],
  needsAny: [['invoices.vat_rate', 'invoices.vat_amount'], ['invoices.amount', 'invoices.total_amount']],
  uses: ['invoice-index'],
  params: {
    abs_tolerance: { default: 1, min: 0, description: 'rounding allowed per invoice line, in currency units' },
    rel_tolerance: { default: 0.005, min: 0, max: 1, description: 'relative difference between VAT and amount × rate allowed (of the expected VAT)' },
    per_seller: { default: 5, min: 1, integer: true, description: 'a seller with more mismatching invoices than this gets one finding for all of them instead of one per invoice' },
  },
  explain: {
    definition: 'Per invoice (lines folded): the VAT charged against Σ amount × rate of its lines; the rate against the dated VAT table (tables.vat_rates always; tables.vat_reduced_rate only inside tables.vat_reduced_periods). Without a rate column the rate implied by VAT / amount must be one of the allowed rates. A seller with more than per_seller problems gets one finding, listing the seller and up to 50 of the invoices (the worst first).',
    formula: 'mismatch when |VAT − Σ amount × rate| > max(abs_tolerance × lines, rel_tolerance × expected); KCT/KKKNT and 0% expect no VAT. Score 0.5 for a difference under 1% of the expected VAT, else 0.55 at 1% → 0.85 at 20%; reduced rate outside its periods 0.7; a rate not in the table 0.75; implied rate not an allowed one 0.6.',
    why: 'Charging the reduced 8% after it lapsed under-declares output VAT; VAT that does not add up can inflate the buyer\'s deductible input VAT or hide a changed net amount. Both are checked first in a VAT audit.',
    falsePositives: 'Exports where vat_amount is rounded per invoice while lines are rounded separately (raise abs_tolerance), mixed-rate invoices without line detail, discounts applied after VAT, and reduced-rate periods the table does not know (update tables.vat_reduced_periods).',
    exclusions: 'Invoices with a blank amount, rate or VAT skip the arithmetic check; the rate check needs only the rate and date.',
  },
  run(data, p, ctx) {
    const ix = invoiceIndex(data);
    const t = data.invoices!;
    const rateCol = t.hasValues('vat_rate') ? t.str('vat_rate') : undefined;
    const vatCol = t.num('vat_amount');
    const amountCol = t.num('amount') ?? t.num('total_amount')!;
    const allowed = new Set(ctx.tables.vat_rates);
    const reduced = ctx.tables.vat_reduced_rate;
    const periods = ctx.tables.vat_reduced_periods.map((x) => [isoToMs(x.from), isoToMs(x.to)] as const);
    const reducedOn = (ms: number) => periods.some(([a, b]) => ms >= a && ms <= b);
    const rateNum = rateCol ? rateCol.dict.map((s) => (EXEMPT.has(s) ? 0 : /^\d+(\.\d+)?$/.test(s) ? Number(s) : NaN)) : [];
    // per rate as written: 0 allowed, 1 the reduced rate (allowed only in its periods), 2 not in the table
    const rateKind = Uint8Array.from(rateCol ? rateCol.dict : [], (s) => (allowed.has(s) ? 0 : s === reduced ? 1 : 2));

    // per invoice: expected VAT, charged VAT, whether the arithmetic can be checked, and a bad rate
    const expected = new Float64Array(ix.n);
    const charged = new Float64Array(ix.n);
    const checkable = new Uint8Array(ix.n).fill(1);
    const badRate = new Int32Array(ix.n).fill(-1);
    const badKind = new Uint8Array(ix.n); // 1 reduced outside period, 2 unknown
    const lines = new Int32Array(ix.n);
    // the reduced rate outside its periods: what the standard rate (the highest allowed one, which the
    // reduced rate stands in for) would have added on those lines
    const standard = Math.max(...[...allowed].map(Number).filter((x) => !Number.isNaN(x)));
    const dueExtra = new Float64Array(ix.n);
    const rows = t.n;
    for (let r = 0; r < rows; r++) {
      const inv = ix.rowInvoice[r];
      lines[inv]++;
      const a = amountCol[r];
      const v = vatCol ? vatCol[r] : NaN;
      if (rateCol) {
        const c = rateCol.codes[r];
        if (c < 0) {
          checkable[inv] = 0;
          continue;
        }
        const kind = rateKind[c];
        if (kind !== 0) {
          if (kind === 1) {
            if (!reducedOn(ix.date[inv])) {
              if (badRate[inv] < 0) [badRate[inv], badKind[inv]] = [c, 1];
              if (!Number.isNaN(a) && Number.isFinite(standard)) dueExtra[inv] += (a * (standard - rateNum[c])) / 100;
            }
          } else if (badRate[inv] < 0) [badRate[inv], badKind[inv]] = [c, 2];
        }
        if (Number.isNaN(rateNum[c]) || Number.isNaN(a) || Number.isNaN(v)) checkable[inv] = 0;
        else {
          expected[inv] += (a * rateNum[c]) / 100;
          charged[inv] += v;
        }
      } else {
        if (Number.isNaN(a) || Number.isNaN(v)) checkable[inv] = 0;
        else {
          expected[inv] += a;
          charged[inv] += v;
        }
      }
    }
    const numericAllowed = [...allowed].map(Number).filter((x) => !Number.isNaN(x));
    const problems: Problem[] = [];
    let applied = 0;
    for (let inv = 0; inv < ix.n; inv++) {
      if (badRate[inv] >= 0) {
        applied++;
        // a reduced rate out of period: the VAT due is at the standard rate; an unknown rate: no due VAT known
        const ok = checkable[inv] === 1;
        const due = badKind[inv] === 1 && ok ? expected[inv] + dueExtra[inv] : NaN;
        problems.push({ inv, kind: badKind[inv] === 1 ? 'rate-not-allowed' : 'unknown-rate', score: badKind[inv] === 1 ? 0.7 : 0.75, rate: rateCol!.dict[badRate[inv]], expected: due, vat: ok ? charged[inv] : NaN });
        continue;
      }
      if (!checkable[inv]) continue;
      applied++;
      if (rateCol) {
        const diff = Math.abs(charged[inv] - expected[inv]);
        const tol = Math.max(p.abs_tolerance * lines[inv], p.rel_tolerance * Math.abs(expected[inv]));
        if (diff <= tol) continue;
        const rel = diff / Math.max(Math.abs(expected[inv]), 1e-9);
        const score = rel < 0.01 ? 0.5 : ramp(rel, 0.01, 0.2, 0.55, 0.85);
        problems.push({ inv, kind: 'amount', score, rate: t.text('vat_rate', ix.firstRow[inv]), expected: expected[inv], vat: charged[inv] });
      } else {
        // no rate column: the implied rate must be an allowed one
        const net = expected[inv];
        if (!(Math.abs(net) > 0)) continue;
        const rates = reducedOn(ix.date[inv]) ? [...numericAllowed, Number(reduced)] : numericAllowed;
        const tol = (r: number) => Math.max(p.abs_tolerance * lines[inv], p.rel_tolerance * Math.abs((net * r) / 100));
        if (rates.some((r) => Math.abs(charged[inv] - (net * r) / 100) <= tol(r))) continue;
        const implied = (charged[inv] / net) * 100;
        problems.push({ inv, kind: 'implied-rate', score: 0.6, rate: `${round(implied, 2)}`, expected: NaN, vat: charged[inv] });
      }
    }

    // group by seller
    const bySeller = new Map<number, Problem[]>();
    for (const pr of problems) {
      const s = ix.seller[pr.inv];
      let l = bySeller.get(s);
      if (!l) bySeller.set(s, (l = []));
      l.push(pr);
    }
    const findings: FindingDraft[] = [];
    // keys and the invoices listed from values, not rows, so reordering the export keeps the ids
    const order = stableOrder(data, ix);
    const uniqueKey = uniqueKeys();
    const what = (pr: Problem) =>
      pr.kind === 'amount'
        ? `VAT ${fmtAmount(pr.vat)} instead of ${fmtAmount(pr.expected)} (rate ${pr.rate}%)`
        : pr.kind === 'rate-not-allowed'
          ? `the reduced ${pr.rate}% rate on ${isoDay(ix.date[pr.inv])}, outside the periods it was allowed${Number.isNaN(pr.expected) ? '' : `: VAT ${fmtAmount(pr.vat)} where the ${standard}% rate gives ${fmtAmount(pr.expected)} (${fmtAmount(pr.expected - pr.vat)} under-declared)`}`
          : pr.kind === 'unknown-rate'
            ? `rate "${pr.rate}", which is not in the VAT table`
            : `VAT ${fmtAmount(pr.vat)} on ${fmtAmount(ix.amount[pr.inv])}, an implied rate of ${pr.rate}% that is not an allowed rate`;
    // vatExpected: what the VAT should be (amount × rate; at the standard rate for a reduced rate out of
    // period); vatShortfall: expected − charged (> 0: under-declared), null when either is unknown
    const shortfall = (pr: Problem) => (Number.isNaN(pr.expected) || Number.isNaN(pr.vat) ? NaN : pr.expected - pr.vat);
    const detail = (pr: Problem) => ({
      kind: pr.kind,
      ...invoiceRef(data, ix, pr.inv),
      rate: pr.rate || null,
      vatCharged: Number.isNaN(pr.vat) ? null : round(pr.vat, 2),
      vatExpected: Number.isNaN(pr.expected) ? null : Math.round(pr.expected),
      vatShortfall: Number.isNaN(shortfall(pr)) ? null : Math.round(shortfall(pr)),
      ...(pr.kind === 'rate-not-allowed' ? { rateDue: `${standard}` } : {}),
    });
    // "number 3, series C23TBD": a number alone repeats in every series and year of the seller
    const numberOf = (row: number): string => {
      const series = t.text('series', row);
      return `number ${t.text('number', row)}${series ? `, series ${series}` : ''}`;
    };
    const threshold = { abs_tolerance: p.abs_tolerance, rel_tolerance: p.rel_tolerance, reduced_rate: reduced, reduced_periods: ctx.tables.vat_reduced_periods.map((x) => `${x.from}..${x.to}`) };
    for (const s of [...bySeller.keys()].sort((a, b) => a - b)) {
      const l = bySeller.get(s)!;
      const label = partyLabel(data, s);
      if (l.length <= p.per_seller) {
        for (const pr of l) {
          const num = numberOf(ix.firstRow[pr.inv]);
          findings.push({
            score: pr.score,
            title: `${label}, invoice ${num}: ${pr.kind === 'amount' ? 'VAT does not match amount × rate' : pr.kind === 'rate-not-allowed' ? `${pr.rate}% rate not allowed on ${isoDay(ix.date[pr.inv])}` : pr.kind === 'unknown-rate' ? `unknown VAT rate ${pr.rate}` : 'VAT implies no allowed rate'}`,
            entities: [invoiceEntity(data, ix, pr.inv), companyEntity(data, s)],
            amount: Number.isNaN(ix.amount[pr.inv]) ? null : ix.amount[pr.inv],
            key: uniqueKey(`${pr.kind}:${invoiceKey(data, ix, pr.inv)}`),
            evidence: { ...detail(pr), threshold },
            explanation: `Invoice ${num} of ${label} (${isoDay(ix.date[pr.inv])}, net ${fmtAmount(ix.amount[pr.inv])}) has ${what(pr)}.`,
          });
        }
        continue;
      }
      let n = 0;
      for (let j = ix.sellerStart[s]; j < ix.sellerStart[s + 1]; j++) n++;
      const kinds: Record<string, number> = {};
      for (const pr of l) kinds[pr.kind] = (kinds[pr.kind] ?? 0) + 1;
      const worst = [...l].sort((a, b) => b.score - a.score || order(a.inv, b.inv));
      const value = l.reduce((x, pr) => x + (Number.isNaN(ix.amount[pr.inv]) ? 0 : ix.amount[pr.inv]), 0);
      // the VAT under-declared and over-charged, apart (an over-charge is another problem — the buyer may
      // claim too much input VAT — and must not hide an under-declaration), to the đồng
      let under = 0;
      let underN = 0;
      let over = 0;
      let overN = 0;
      for (const pr of l) {
        const d = shortfall(pr);
        if (Number.isNaN(d) || d === 0) continue;
        if (d > 0) {
          under += d;
          underN++;
        } else {
          over -= d;
          overN++;
        }
      }
      under = Math.round(under);
      over = Math.round(over);
      const sums = [underN ? `VAT under-declared ${fmtAmount(under)} on ${plural(underN, 'invoice')}` : '', overN ? `VAT over-charged ${fmtAmount(over)} on ${plural(overN, 'invoice')}` : ''].filter(Boolean);
      findings.push({
        score: worst[0].score,
        title: `${label}: ${l.length} of ${n} invoices with VAT problems${underN ? `, ${fmtAmount(under)} VAT under-declared` : ''}`,
        entities: [companyEntity(data, s), ...worst.slice(0, 50).sort((a, b) => order(a.inv, b.inv)).map((pr) => invoiceEntity(data, ix, pr.inv))],
        amount: value,
        key: 'seller',
        evidence: { invoices: n, problems: l.length, share: round(l.length / n), byKind: Object.fromEntries(Object.entries(kinds).sort()), vatUnderDeclared: underN ? under : null, vatUnderDeclaredInvoices: underN, vatOverCharged: overN ? over : null, vatOverChargedInvoices: overN, examples: worst.slice(0, 10).map(detail), threshold: { ...threshold, per_seller: p.per_seller } },
        explanation: `${l.length} of ${label}'s ${n} invoices (${fmtPct(l.length / n)}) have VAT problems${sums.length ? `: ${sums.join('; ')}` : ''}; e.g. invoice ${numberOf(ix.firstRow[worst[0].inv])} with ${what(worst[0])}.`,
      });
    }
    return { findings, applied, notApplicable: {} };
  },
});
