import { DEFAULT_TABLES } from '../config/tables.js';
import type { Dataset } from '../model/dataset.js';
import { taxCodeInfo } from '../normalize/taxcode.js';
import { fenceCutoffs } from '../stats/outliers.js';
import { invoiceIndex } from '../graph/invoice-index.js';
import { judgeShares } from '../stats/shares.js';
import { defineDetector, type FindingDraft } from './types.js';
import { companyEntity, fmtPct, partyLabel, round } from './util.js';
import { dayNumber, isoToMs } from '../util/dates.js';

/** Sellers sampled (in dictionary order) to decide whether the invoices are Vietnamese. */
const SAMPLE = 5000;

/**
 * Whether the built-in Vietnamese calendar fits the invoices: by the currency column when it has values
 * (most rows VND), else by the sellers (most ids valid Vietnamese tax codes). Oxford's payments and
 * Brazil's NF-e are neither, and their Sundays are still counted.
 */
export function looksVietnamese(data: Dataset, sellers: ArrayLike<number>): { vn: boolean; by: string } {
  const inv = data.tables.invoices!;
  const cur = inv.str('currency');
  if (cur && inv.hasValues('currency')) {
    // one test per distinct currency, then a count per row
    const isVnd = cur.dict.map((x) => /^(vnd|vnđ|đ|đồng|dong)$/i.test(x.trim()));
    let vnd = 0;
    let known = 0;
    for (let r = 0; r < inv.n; r++) {
      const c = cur.codes[r];
      if (c < 0) continue;
      known++;
      if (isVnd[c]) vnd++;
    }
    return { vn: vnd * 2 > known, by: `currency: ${fmtPct(vnd / known)} of rows in VND` };
  }
  const step = Math.max(1, Math.floor(sellers.length / SAMPLE));
  let valid = 0;
  let seen = 0;
  for (let i = 0; i < sellers.length; i += step) {
    seen++;
    if (taxCodeInfo(data.parties.id(sellers[i]))?.valid) valid++;
  }
  return { vn: seen > 0 && valid * 2 > seen, by: `sellers: ${valid} of ${seen} sampled ids are valid Vietnamese tax codes` };
}

function sameDates(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export default defineDetector({
  id: 'weekend-holiday',
  title: 'A seller issues unusually many invoices on Sundays and public holidays',
  family: 'invoice',
  rationale: 'Businesses rarely trade with public buyers on Sundays or during Tết; invoices dated then are often back-dated, produced in bulk or issued for goods never delivered.',
  sources: ['ACFE Fraud Examiners Manual: invoice dates', 'VN Labour Code 2019 art. 112 (public holidays)', 'Nigrini, Forensic Analytics (2011), ch. 14'],
  needs: ['invoices.seller_id', 'invoices.issue_date'],
  uses: ['invoice-index'],
  params: {
    saturday: { default: false, description: 'also count Saturdays (most Vietnamese firms work on Saturday)' },
    holidays: { default: 'auto', values: ['auto', 'on', 'off'], description: 'count the public holidays of tables.holidays: auto = always for a calendar set in the config, and for the built-in Vietnamese one only when the invoices look Vietnamese (VND, or sellers with valid tax codes); Sundays count in any case' },
    min_n: { default: 30, min: 5, integer: true, description: 'invoices a seller needs to be judged' },
    min_share: { default: 0.2, min: 0, max: 1, description: 'smallest share of Sunday/holiday invoices that can be flagged' },
    fence_k: { default: 3, min: 0, description: 'the share must exceed Q3 + fence_k × IQR of all sellers\' shares' },
    min_z: { default: 4, min: 0, description: 'and be this many binomial standard deviations above the market\'s rate' },
  },
  explain: {
    definition: 'For each seller with at least min_n invoices, the share dated on a Sunday (optionally Saturday) or a public holiday of the configured calendar (tables.holidays: by default Vietnam 2015–2030, Tết included), compared with all sellers.',
    formula: 'share = #(Sunday or holiday) / n. Flag when share > Q3 + fence_k·IQR of sellers\' shares (IQR ≥ 0.02), share ≥ min_share and z = (k − n·p0) / sqrt(n·p0·(1 − p0)) ≥ min_z, p0 the pooled share. Score 0.5 at the fence to 0.8 halfway from the fence to 100%, × 0.9–1 by number of invoices.',
    why: 'Invoices dated when nobody works point at documents written after the fact or in bulk, a common trace of fictitious sales and VAT fraud.',
    falsePositives: 'Retail, hotels, restaurants, transport and event services that do trade on Sundays and holidays; exports that carry the signing or upload date instead of the issue date.',
    exclusions: 'Dates are read as written (no time zone shift). Holidays outside the calendar\'s years count as ordinary days; override tables.holidays for other years or countries. With holidays = auto the built-in Vietnamese calendar is not applied to invoices that are not Vietnamese (most rows in another currency, or most sellers without a valid Vietnamese tax code): only Sundays count there, and the run says so in the detector\'s notes.',
  },
  run(data, p, ctx) {
    const ix = invoiceIndex(data);
    const sellers = ix.sellers;
    const notes: string[] = [];
    let useHolidays = p.holidays === 'on';
    if (p.holidays === 'auto') {
      if (!sameDates(ctx.tables.holidays, DEFAULT_TABLES.holidays)) useHolidays = true;
      else {
        const { vn, by } = looksVietnamese(data, sellers);
        useHolidays = vn;
        if (!vn) notes.push(`Vietnamese public holidays not applied (${by}); only Sundays count — set tables.holidays to this country's calendar, or holidays = on`);
      }
    }
    const holidays = new Set(useHolidays ? ctx.tables.holidays.map((h) => dayNumber(isoToMs(h))) : []);
    const k = new Float64Array(sellers.length);
    const n = new Float64Array(sellers.length);
    const sundays = new Float64Array(sellers.length);
    for (let s = 0; s < sellers.length; s++) {
      const q = sellers[s];
      for (let j = ix.sellerStart[q]; j < ix.sellerStart[q + 1]; j++) {
        const ms = ix.date[ix.bySeller[j]];
        if (Number.isNaN(ms)) continue;
        n[s]++;
        const day = dayNumber(ms);
        const wd = (((day + 4) % 7) + 7) % 7; // 0 = Sunday
        const off = wd === 0 || (p.saturday && wd === 6);
        if (off) sundays[s]++;
        if (off || holidays.has(day)) k[s]++;
      }
    }
    const j = judgeShares(sellers, k, n, p, ctx.reference);
    const pos = new Map<number, number>();
    sellers.forEach((q, i) => pos.set(q, i));
    const findings: FindingDraft[] = j.outliers.map((o) => {
      const label = partyLabel(data, o.party);
      const i = pos.get(o.party)!;
      const examples: string[] = [];
      for (let t = ix.sellerStart[o.party]; t < ix.sellerStart[o.party + 1] && examples.length < 5; t++) {
        const ms = ix.date[ix.bySeller[t]];
        const day = dayNumber(ms);
        const wd = (((day + 4) % 7) + 7) % 7;
        if (wd === 0 || (p.saturday && wd === 6) || holidays.has(day)) {
          const iso = new Date(ms).toISOString().slice(0, 10);
          if (!examples.includes(iso)) examples.push(iso);
        }
      }
      return {
        score: o.score,
        title: `${label}: ${o.k} of ${o.n} invoices dated on ${p.saturday ? 'weekends' : 'Sundays'} or public holidays`,
        entities: [companyEntity(data, o.party)],
        evidence: { invoices: o.n, offDays: o.k, sundays: sundays[i], holidays: o.k - sundays[i], share: round(o.share), exampleDates: examples, marketShare: round(j.base), z: round(o.z, 2), threshold: { upperFence: round(j.fences.upper), min_share: p.min_share, min_z: p.min_z, min_n: p.min_n } },
        explanation: `${fmtPct(o.share)} of ${label}'s ${o.n} invoices are dated on a ${p.saturday ? 'weekend' : 'Sunday'} or public holiday, against ${fmtPct(j.base)} across sellers (outliers from ${fmtPct(j.fences.upper)}; z-score ${o.z.toFixed(1)}).`,
      };
    });
    return {
      findings,
      applied: j.applied,
      notApplicable: j.tooFew ? { [`fewer than ${p.min_n} invoices`]: j.tooFew } : {},
      cutoffs: { marketShare: round(j.base), holidays: holidays.size, ...fenceCutoffs('share', j.fences) },
      ...(notes.length ? { notes } : {}),
      reference: j.reference,
    };
  },
});
