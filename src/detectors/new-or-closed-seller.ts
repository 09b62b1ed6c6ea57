import { ramp } from '../scoring/score.js';
import { quantile, rankIn, sketch } from '../stats/quantiles.js';
import { invoiceIndex, stableOrder } from '../graph/invoice-index.js';
import { invoiceEntity, invoiceRef } from './invoice-facts.js';
import { defineDetector, type FindingDraft } from './types.js';
import { companyEntity, count, fmtAmount, partyLabel, round } from './util.js';
import { DAY_MS, isoDay } from '../util/dates.js';

export default defineDetector({
  id: 'new-or-closed-seller',
  title: 'Invoices from a firm not yet registered, already closed, or brand new with large sales',
  family: 'invoice',
  rationale: 'A seller cannot invoice before it exists or after it is dissolved; and a firm that invoices large amounts in its first months is the profile of a shell set up to sell invoices or to win one contract.',
  sources: ['Serenata de Amor / rosie: company opened after or closed before the expense', 'OECD Tax Administration: missing-trader indicators', 'VN Law on Tax Administration 38/2019 art. 16 (closure of tax codes)'],
  needs: ['invoices.seller_id', 'invoices.issue_date'],
  needsAny: [['companies.registration_date', 'companies.closure_date']],
  uses: ['invoice-index'],
  params: {
    grace_days: { default: 0, min: 0, description: 'days of slack around the registration and closure dates' },
    days: { default: 90, min: 1, description: 'the first days after registration in which large volume is judged' },
    volume_quantile: { default: 0.99, min: 0.5, max: 1, description: 'large = value invoiced in the first `days` above this quantile of all sellers\' value per `days`-day period' },
    min_early: { default: 20, min: 1, integer: true, description: 'invoices in the first `days` a seller needs before its own early rate is judged' },
    early_ratio: { default: 1.5, min: 1, description: 'flag when the seller invoiced at least this many times faster in its first `days` than afterwards (at least `days` of later activity needed)' },
  },
  explain: {
    definition: 'For each seller found in the companies table: invoices dated before its registration date or on or after its closure date (beyond grace_days), and its first `days` days after registration: the value it invoiced then compared with what sellers usually invoice in a period of that length, and the pace of its invoices then compared with its own pace afterwards.',
    formula: 'before = #(issue_date < registration − grace), after = #(issue_date ≥ closure + grace): score 0.8 → 0.9 for 1 → 5 invoices. Early volume, two tests in one finding (the stronger scores): by value, V = value in [registration, registration + days); typical = each seller\'s total / (its active span in days / days, at least 1); flag when V > quantile(typical, volume_quantile): score 0.5 at that quantile → 0.75 at 3 × it. By its own pace, n = invoices in those days ≥ min_early and pace = (n / days) / (later invoices / later days) ≥ early_ratio, with at least `days` of later activity (registration to its last invoice): score 0.5 at early_ratio → 0.75 at 4×, × 0.9 → 1 for min_early → 3 × min_early invoices. The value test compares with every seller, so large contractors set its bar; the pace test needs no peers.',
    why: 'Invoices outside a firm\'s legal life are false by construction (a borrowed or fake identity, back-dated documents). New firms with large early sales to public buyers are the typical vehicle of invoice mills and of shell firms set up for one contract.',
    falsePositives: 'A registry that records a re-registration or conversion date instead of the founding date; closure dates that record a later administrative step; genuine start-ups formed for a large project (joint ventures, project companies).',
    exclusions: 'Findings list the seller and (up to 50) the invoices dated outside its life. Sellers missing from the companies table, or without the dates, are not judged.',
  },
  run(data, p, ctx) {
    const ix = invoiceIndex(data);
    const comp = data.companies;
    const reg = comp?.num('registration_date');
    const clo = comp?.num('closure_date');
    const rowOf = data.companyRow;
    const findings: FindingDraft[] = [];
    const notApplicable: Record<string, number> = {};
    const grace = p.grace_days * DAY_MS;
    const window = p.days * DAY_MS;
    // typical value per `days`-day period, over every seller
    const perPeriod: number[] = [];
    for (const q of ix.sellers) {
      const s0 = ix.sellerStart[q];
      const s1 = ix.sellerStart[q + 1];
      let total = 0;
      for (let j = s0; j < s1; j++) if (ix.amount[ix.bySeller[j]] > 0) total += ix.amount[ix.bySeller[j]];
      const span = ix.date[ix.bySeller[s1 - 1]] - ix.date[ix.bySeller[s0]];
      perPeriod.push(total / Math.max(1, (Number.isNaN(span) ? 0 : span) / window));
    }
    const ref = ctx.reference as { perPeriod?: { q: number[]; n: number } } | undefined;
    const dist = ref?.perPeriod && Array.isArray(ref.perPeriod.q) ? ref.perPeriod : sketch(perPeriod);
    const large = quantile(dist, p.volume_quantile);
    let applied = 0;
    const order = stableOrder(data, ix);
    for (const q of ix.sellers) {
      const row = rowOf[q];
      const r = row >= 0 && reg ? reg[row] : NaN;
      const c = row >= 0 && clo ? clo[row] : NaN;
      if (row < 0) {
        count(notApplicable, 'not in the companies table');
        continue;
      }
      if (Number.isNaN(r) && Number.isNaN(c)) {
        count(notApplicable, 'no registration or closure date');
        continue;
      }
      applied++;
      const before: number[] = [];
      const after: number[] = [];
      let early = 0;
      let earlyN = 0;
      // the seller's invoices from registration on, and its last date: its own later rate
      let lifeN = 0;
      let last = -Infinity;
      for (let j = ix.sellerStart[q]; j < ix.sellerStart[q + 1]; j++) {
        const inv = ix.bySeller[j];
        const d = ix.date[inv];
        if (Number.isNaN(d)) continue;
        if (d < r - grace) before.push(inv);
        if (d >= c + grace) after.push(inv);
        if (d >= r && d < r + window) {
          earlyN++;
          if (ix.amount[inv] > 0) early += ix.amount[inv];
        }
        if (d >= r) {
          lifeN++;
          if (d > last) last = d;
        }
      }
      // listed by date, invoices of one day by amount, number and id (not by row)
      before.sort(order);
      after.sort(order);
      const label = partyLabel(data, q);
      const sumOf = (l: number[]) => l.reduce((s, inv) => s + (ix.amount[inv] > 0 ? ix.amount[inv] : 0), 0);
      const dates = { registration: isoDay(r) || null, closure: isoDay(c) || null };
      if (before.length) {
        const v = sumOf(before);
        const days = Math.round((r - ix.date[before[0]]) / DAY_MS);
        findings.push({
          score: ramp(before.length, 1, 5, 0.8, 0.9),
          title: `${label} issued ${before.length} invoice${before.length > 1 ? 's' : ''} before its registration on ${isoDay(r)}`,
          entities: [companyEntity(data, q), ...before.slice(0, 50).map((inv) => invoiceEntity(data, ix, inv))],
          amount: v,
          key: 'before',
          evidence: { kind: 'before-registration', ...dates, invoices: before.length, value: v, earliestDaysBefore: days, examples: before.slice(0, 5).map((inv) => invoiceRef(data, ix, inv)), threshold: { grace_days: p.grace_days } },
          explanation: `${label} was registered on ${isoDay(r)} but issued ${before.length} invoice${before.length > 1 ? 's' : ''} worth ${fmtAmount(v)} before that, the earliest ${days} days before.`,
        });
      }
      if (after.length) {
        const v = sumOf(after);
        const days = Math.round((ix.date[after[after.length - 1]] - c) / DAY_MS);
        findings.push({
          score: ramp(after.length, 1, 5, 0.8, 0.9),
          title: `${label} issued ${after.length} invoice${after.length > 1 ? 's' : ''} on or after its closure on ${isoDay(c)}`,
          entities: [companyEntity(data, q), ...after.slice(0, 50).map((inv) => invoiceEntity(data, ix, inv))],
          amount: v,
          key: 'after',
          evidence: { kind: 'after-closure', ...dates, invoices: after.length, value: v, latestDaysAfter: days, examples: after.slice(0, 5).map((inv) => invoiceRef(data, ix, inv)), threshold: { grace_days: p.grace_days } },
          explanation: `${label} was closed on ${isoDay(c)} but issued ${after.length} invoice${after.length > 1 ? 's' : ''} worth ${fmtAmount(v)} from that day on, the latest ${days} days after.`,
        });
      }
      // early volume, two ways: the value against what sellers invoice per period (a shell billing large
      // sums at once), and the seller's own pace: many invoices in its first days, far faster than
      // afterwards (a shell, or an invoice mill, that starts at full speed; honest firms ramp up). The
      // first compares with every seller, so large contractors set its bar; the second needs no peers.
      const byValue = !Number.isNaN(r) && early > large && large > 0;
      const laterDays = (last - r) / DAY_MS - p.days;
      const laterRate = laterDays >= p.days ? (lifeN - earlyN) / laterDays : NaN;
      const pace = earlyN / p.days / laterRate;
      const byPace = !Number.isNaN(r) && earlyN >= p.min_early && laterRate >= 0 && pace >= p.early_ratio;
      if (byValue || byPace) {
        const pct = rankIn(dist, early);
        const sValue = byValue ? ramp(early / large, 1, 3, 0.5, 0.75) : 0;
        const sPace = byPace ? ramp(pace, p.early_ratio, 4, 0.5, 0.75) * ramp(earlyN, p.min_early, 3 * p.min_early, 0.9, 1) : 0;
        const reasons: string[] = [];
        if (byPace) reasons.push(`${earlyN} of its ${lifeN} invoices since registration fall in those days, ${round(pace, 1)} times its pace afterwards (threshold ${p.early_ratio}×, at least ${p.min_early} invoices)`);
        if (byValue) reasons.push(`the value is above the ${round(p.volume_quantile * 100, 1)}th percentile of what sellers invoice per ${p.days} days (${fmtAmount(Math.round(large))})`);
        findings.push({
          score: Math.max(sValue, sPace),
          title: byPace
            ? `${label} issued ${earlyN} of its ${lifeN} invoices (${fmtAmount(Math.round(early))}) in its first ${p.days} days after registration, ${round(pace, 1)}× its later pace`
            : `${label} invoiced ${fmtAmount(Math.round(early))} in its first ${p.days} days after registration`,
          entities: [companyEntity(data, q)],
          amount: early,
          key: 'early',
          evidence: {
            kind: 'large-early-volume',
            ...dates,
            days: p.days,
            invoices: earlyN,
            invoicesSinceRegistration: lifeN,
            shareInFirstDays: lifeN ? round(earlyN / lifeN) : null,
            paceVsLater: Number.isFinite(pace) ? round(pace, 2) : null,
            value: Math.round(early),
            percentileAmongSellers: round(pct, 4),
            byPace,
            byValue,
            threshold: { volume_quantile: p.volume_quantile, valueAtQuantile: round(large, 0), min_early: p.min_early, early_ratio: p.early_ratio },
          },
          explanation: `Registered on ${isoDay(r)}, ${label} invoiced ${fmtAmount(Math.round(early))} (${earlyN} invoices) within ${p.days} days: ${reasons.join('; and ')}.`,
        });
      }
    }
    return { findings, applied, notApplicable, cutoffs: { valueAtQuantile: round(large, 0) }, reference: { perPeriod: dist } };
  },
});
