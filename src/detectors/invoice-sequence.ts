import { ramp } from '../scoring/score.js';
import { invoiceIndex, numberValue } from '../graph/invoice-index.js';
import { invoiceEntity, invoiceRef } from './invoice-facts.js';

export { numberValue };
import { defineDetector, type FindingDraft } from './types.js';
import { companyEntity, count, fmtPct, partyLabel, plural, round } from './util.js';
import { DAY_MS, isoDay } from '../util/dates.js';
import { compareText } from '../util/compare.js';

/** At most this many invoices are listed as entities of one finding. */
const MAX_INVOICES = 50;
/** withheld stretches in numbers high up a counter: at most this many numbers missing per number present
 * (more is a numbering shared with others) */
const MAX_HOLE_RATIO = 4;


export default defineDetector({
  id: 'invoice-sequence',
  title: 'Invoice numbers reused, out of date order or missing',
  family: 'invoice',
  rationale: 'E-invoice numbers run consecutively per series in order of issue; a number used twice, a later number dated before an earlier one (back-dating), or holes in an otherwise complete series point at invoices altered, back-dated or withheld.',
  sources: ['VN Decree 123/2020/ND-CP art. 10 (invoice numbers, consecutive per series)', 'VN Circular 78/2021/TT-BTC', 'Nigrini, Forensic Analytics (2011): gaps and duplicates in document numbers'],
  needs: ['invoices.seller_id', 'invoices.number', 'invoices.issue_date'],
  uses: ['invoice-index'],
  params: {
    min_n: { default: 3, min: 2, integer: true, description: 'invoices a seller needs in a series to be judged for reuse and back-dating' },
    min_n_gaps: { default: 10, min: 2, integer: true, description: 'invoices a series needs before its gaps are judged' },
    tolerance_days: { default: 0, min: 0, description: 'a higher number may be dated this many days before the latest lower number without counting (late entry across midnight, time zones)' },
    starts_at_one: { default: true, description: 'numbers below the lowest seen count as missing (series restart at 1, as Vietnamese e-invoice series do with each year\'s code)' },
    min_density: { default: 0.01, min: 0, max: 1, description: 'a series whose distinct numbers cover less than this share of its number range is not one seller\'s numbering (a shared transaction counter) and is not judged' },
    max_disorder: { default: 0.25, min: 0, max: 1, description: 'a series in which more than this share of consecutive numbers run backwards in date is not a chronological numbering (e.g. payment or transaction numbers) and is not judged' },
    min_completeness: { default: 0.3, min: 0, max: 1, description: 'gaps are judged only when the series in the data is at least this complete (an export of one buyer\'s purchases shows only part of a seller\'s numbers), or when its holes are withheld stretches (min_adjacency, min_hole)' },
    min_adjacency: { default: 0.6, min: 0, max: 1, description: 'holes are withheld stretches when at least this share of the steps between the numbers present are consecutive (n → n + 1)…' },
    min_hole: { default: 3, min: 1, description: '…and the holes are this many numbers long on average; a partial export leaves short holes everywhere instead' },
  },
  explain: {
    definition: 'For each seller and series (template + series) with at least min_n invoices whose numbers are integers: numbers used more than once, numbers dated before the next lower number of the same series (by more than tolerance_days), and, when the series has at least min_n_gaps invoices and is at least min_completeness complete between 1 and its highest number or its holes are withheld stretches (at least min_adjacency of the steps between the numbers present are n → n + 1, the holes are min_hole numbers long on average, and, when the numbers start high up a counter (more numbers below the lowest than the range seen), no more than 4 numbers are missing per number present — more is a numbering shared with others, such as a payment ledger), the numbers missing. A number counts as back-dated against the earliest copy of the number below it, so a reused number\'s later copy does not make the next one look back-dated.',
    formula: 'reused = invoices whose number was already used in the series (digits-only numbers compared as numbers, so 00000002 = 2; others as written); out-of-order = #invoices dated more than tolerance_days before the next lower number; a series with out-of-order > max_disorder × (n − 1), or whose distinct numbers cover less than min_density of its range, is not one seller\'s chronological numbering and is skipped; 123_0 and 123_1 differ; missing = (max − first + 1) − distinct, first = 1 with starts_at_one when the numbers below the lowest are no more than the range seen (else the lowest number), judged when distinct / (max − first + 1) ≥ min_completeness. Score: reuse 0.6 → 0.8 for 1 → 5 reused; out-of-order 0.55 → 0.85 for 1 → 10; missing in withheld stretches 0.4 → 0.7 for 1 → 30 numbers missing between the lowest and highest (the more invoices withheld, the more undeclared sales); other missing numbers 0.35 → 0.55 for 1 → 20 in a series at least 90% complete, 0.3 → 0.45 below that (an export may hold only part of a seller\'s invoices). The strongest applies.',
    why: 'A consecutive numbering that breaks is the trace an altered ledger leaves: back-dated invoices get numbers later than their date; withheld (off-book) invoices leave holes; reused numbers mean two documents claim one identity.',
    falsePositives: 'Exports that cover only part of a seller\'s invoices (gaps are then normal: hence min_completeness), several sellers\' branches sharing a tax code, numbering restarted at a new year under the same series label, and invoices keyed in late by hand.',
    exclusions: 'A finding lists the seller and (up to 50) the invoices concerned: reused and back-dated numbers and the first number after each gap. Numbers without digits are skipped. The template and series together name the series; without them a seller has one series.',
  },
  run(data, p) {
    const ix = invoiceIndex(data);
    const t = data.invoices!;
    const numCol = t.str('number')!;
    const numVal = numCol.dict.map(numberValue);
    const kp = ix.parts;
    const findings: FindingDraft[] = [];
    const notApplicable: Record<string, number> = {};
    let applied = 0;
    const tol = p.tolerance_days * DAY_MS;
    // per invoice: the number's value and id (digits-only numbers without leading zeros), and the series
    // (template + series, a template digit written in front of the series split off: KeyParts)
    const nv = new Float64Array(ix.n);
    const code = new Int32Array(ix.n);
    const serKey = new Float64Array(ix.n);
    for (let inv = 0; inv < ix.n; inv++) {
      const r = ix.firstRow[inv];
      const c = numCol.codes[r];
      code[inv] = kp.numberOfCode(c);
      nv[inv] = c < 0 ? NaN : numVal[c];
      serKey[inv] = kp.seriesKey(r);
    }
    const seriesLabel = (inv: number) => kp.seriesText(ix.firstRow[inv]);
    const tooFew = `fewer than ${p.min_n} numbered invoices in the series`;
    for (const q of ix.sellers) {
      // the seller's numbered invoices by (series, number, number as written, date)
      const all: number[] = [];
      for (let j = ix.sellerStart[q]; j < ix.sellerStart[q + 1]; j++) {
        const inv = ix.bySeller[j];
        if (!Number.isNaN(nv[inv]) && !Number.isNaN(ix.date[inv])) all.push(inv);
      }
      if (all.length < p.min_n) {
        if (all.length) count(notApplicable, tooFew);
        continue;
      }
      // (the last tie, copies of one number on one day, broken by invoice id: the same copy is the reused one in any row order)
      all.sort((a, b) => serKey[a] - serKey[b] || nv[a] - nv[b] || code[a] - code[b] || ix.date[a] - ix.date[b] || compareText(invoiceEntity(data, ix, a).id, invoiceEntity(data, ix, b).id) || a - b);
      const groups: number[][] = [];
      for (let i = 0; i < all.length; ) {
        let e = i + 1;
        while (e < all.length && serKey[all[e]] === serKey[all[i]]) e++;
        groups.push(all.slice(i, e));
        i = e;
      }
      const labelled = groups.map((l) => ({ series: seriesLabel(l[0]), l })).sort((a, b) => (a.series < b.series ? -1 : a.series > b.series ? 1 : 0));
      for (const { series, l } of labelled) {
        if (l.length < p.min_n) {
          count(notApplicable, tooFew);
          continue;
        }
        applied++;
        let distinct = 0;
        const reused: number[] = [];
        const backdated: { inv: number; before: number }[] = [];
        let inversions = 0;
        // per distinct number, its earliest invoice: a reused number's later copy does not make the next
        // number look back-dated
        let prevFirst = -1;
        let curFirst = -1;
        const closeNumber = () => {
          if (prevFirst >= 0 && ix.date[curFirst] < ix.date[prevFirst] - tol) {
            inversions++;
            backdated.push({ inv: curFirst, before: prevFirst });
          }
        };
        // the shape of the holes: steps of exactly 1 between distinct numbers, and holes between them
        let steps1 = 0;
        let holes = 0;
        for (let i = 0; i < l.length; i++) {
          const inv = l[i];
          if (i === 0 || nv[inv] !== nv[l[i - 1]]) {
            if (i > 0) {
              closeNumber();
              if (nv[inv] - nv[l[i - 1]] === 1) steps1++;
              else holes++;
            }
            distinct++;
            prevFirst = curFirst;
            curFirst = inv;
          } else {
            if (ix.date[inv] < ix.date[curFirst]) curFirst = inv;
            // reuse: the same number (digits-only numbers compared as numbers) issued again
            if (code[inv] === code[l[i - 1]]) reused.push(inv);
          }
        }
        closeNumber();
        const density = distinct / (nv[l[l.length - 1]] - nv[l[0]] + 1);
        if (density < p.min_density) {
          count(notApplicable, 'numbers too sparse to be one seller\'s numbering');
          applied--;
          continue;
        }
        if (distinct > 1 && inversions / (distinct - 1) > p.max_disorder) {
          count(notApplicable, 'numbers not in date order (not a per-seller numbering)');
          applied--;
          continue;
        }
        const lo = nv[l[0]];
        const hi = nv[l[l.length - 1]];
        // the numbers begin near 1: no more numbers below the lowest than the whole range seen. Otherwise the
        // export shows a window high up a counter (a payment ledger numbered 46,289,060…)
        const nearOne = lo - 1 <= hi - lo + 1;
        // a series starts at 1 (Vietnamese e-invoice series restart at 1 with each year's series code) — unless
        // the export starts late: then nothing before the lowest counts as missing
        const first = p.starts_at_one && lo > 1 && nearOne ? 1 : lo;
        const span = hi - first + 1;
        const completeness = distinct / span;
        const missing = span - distinct;
        // holes between the lowest and highest number (not before the lowest: an export may start late)
        const interior = hi - lo + 1 - distinct;
        const adjacency = distinct > 1 ? steps1 / (distinct - 1) : 1;
        const meanHole = holes ? interior / holes : 0;
        // withheld stretches: numbers otherwise consecutive (most steps are 1) with holes of several numbers
        // each; a partial export (one buyer's purchases) leaves many short holes and few steps of 1
        // — but not, high up a counter, holes far larger than the series itself (a ledger numbered across many
        // suppliers). A series that begins near 1 is the seller's own numbering from its start, however much
        // of it is withheld (1–3, 27–31, 64–67: 55 missing of 67)
        const blocks = adjacency >= p.min_adjacency && meanHole >= p.min_hole && (nearOne || interior <= MAX_HOLE_RATIO * distinct);
        const judgeGaps = l.length >= p.min_n_gaps && (completeness >= p.min_completeness || blocks);
        const sBlocks = judgeGaps && blocks && interior > 0 ? ramp(interior, 1, 30, 0.4, 0.7) : 0;
        const sMissing = judgeGaps && missing > 0 ? (completeness >= 0.9 ? ramp(missing, 1, 20, 0.35, 0.55) : ramp(missing, 1, 20, 0.3, 0.45)) : 0;
        const sReuse = reused.length ? ramp(reused.length, 1, 5, 0.6, 0.8) : 0;
        const sBack = backdated.length ? ramp(backdated.length, 1, 10, 0.55, 0.85) : 0;
        const sGap = Math.max(sBlocks, sMissing);
        const score = Math.max(sReuse, sBack, sGap);
        if (score === 0) continue;
        const label = partyLabel(data, q);
        const parts: string[] = [];
        if (reused.length) parts.push(`${reused.length} number${reused.length > 1 ? 's' : ''} used twice`);
        if (backdated.length) parts.push(`${backdated.length} number${backdated.length > 1 ? 's' : ''} dated earlier than the number below ${backdated.length > 1 ? 'them' : 'it'}`);
        if (judgeGaps && missing > 0)
          parts.push(blocks && interior > 0 ? `${missing} of ${first}–${hi} missing, in ${plural(holes, 'hole')} between consecutive runs` : `${missing} missing between ${first} and ${hi}`);
        const missingList: number[] = [];
        const afterGap: number[] = [];
        if (judgeGaps && missing > 0) {
          if (lo > first) {
            afterGap.push(l[0]);
            for (let x = first; x < lo && missingList.length < 20; x++) missingList.push(x);
          }
          for (let i = 1; i < l.length; i++) {
            if (nv[l[i]] - nv[l[i - 1]] > 1) afterGap.push(l[i]);
            for (let x = nv[l[i - 1]] + 1; x < nv[l[i]] && missingList.length < 20; x++) missingList.push(x);
          }
        }
        // the invoices the finding is about: reused and back-dated ones, and the first after each gap
        const suspects = [...new Set([...reused, ...backdated.map((b) => b.inv), ...afterGap])].sort((a, b) => nv[a] - nv[b] || compareText(invoiceEntity(data, ix, a).id, invoiceEntity(data, ix, b).id)).slice(0, MAX_INVOICES);
        findings.push({
          score,
          title: `${label}, ${series || 'no series'}: ${parts.join('; ')}`,
          entities: [companyEntity(data, q), ...suspects.map((inv) => invoiceEntity(data, ix, inv))],
          key: series,
          evidence: {
            template: kp.templateName(ix.firstRow[l[0]]) || null,
            series: kp.seriesName(ix.firstRow[l[0]]) || null,
            invoices: l.length,
            lowest: lo,
            highest: hi,
            distinct,
            completeness: round(completeness),
            reused: reused.length,
            reusedExamples: reused.slice(0, 5).map((inv) => invoiceRef(data, ix, inv)),
            outOfOrder: backdated.length,
            outOfOrderExamples: backdated.slice(0, 5).map((b) => ({ invoice: invoiceRef(data, ix, b.inv), laterThan: invoiceRef(data, ix, b.before) })),
            missing: judgeGaps ? missing : null,
            missingBetween: judgeGaps ? interior : null,
            holes,
            meanHoleLength: round(meanHole, 2),
            consecutiveShare: round(adjacency),
            withheldStretches: blocks,
            missingExamples: missingList,
            threshold: { min_n: p.min_n, min_n_gaps: p.min_n_gaps, tolerance_days: p.tolerance_days, min_completeness: p.min_completeness, min_adjacency: p.min_adjacency, min_hole: p.min_hole },
          },
          explanation: `In ${label}'s ${series ? `invoices of ${series}` : 'invoices without a series'} (${l.length} invoices, numbers ${lo}–${hi}, ${round(completeness * 100, 1)}% complete): ${parts.join('; ')}${backdated.length ? ` (e.g. number ${nv[backdated[0].inv]} is dated ${isoDay(ix.date[backdated[0].inv])}, ${plural(Math.round((ix.date[backdated[0].before] - ix.date[backdated[0].inv]) / DAY_MS), 'day')} before number ${nv[backdated[0].before]}, dated ${isoDay(ix.date[backdated[0].before])})` : ''}${blocks && interior > 0 && judgeGaps ? `; the missing numbers come in stretches (${plural(holes, 'hole')} of ${round(meanHole, 1)} numbers on average, ${fmtPct(adjacency, 0)} of the other steps consecutive): invoices issued but not in the data, possibly withheld sales` : ''}.`,
        });
      }
    }
    return { findings, applied, notApplicable };
  },
});
