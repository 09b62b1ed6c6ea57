import { ramp } from '../scoring/score.js';
import { quantile, rankIn, sketch, type Sketch } from '../stats/quantiles.js';
import { awardValues, unitDates } from './split-purchases.js';
import { companyRows, repeatedNote } from './company-rows.js';
import { byTender } from './tender-facts.js';
import { defineDetector, type FindingDraft } from './types.js';
import { companyEntity, count, fmtAmount, partyLabel, round, tenderEntity, tenderLabel } from './util.js';
import { DAY_MS, isoDay } from '../util/dates.js';

interface Reference {
  /** the distribution of award values the size of a young firm's awards is ranked in */
  awardValues: Sketch;
}

export default defineDetector({
  id: 'new-company-winner',
  title: 'Newly registered company wins',
  family: 'market',
  rationale:
    'A firm that wins public contracts within months of its registration, above all large ones, may be a vehicle set up for the award (a shell of an official\'s relatives, a front for a disqualified firm).',
  sources: ['GTI (new company winner)', 'VN Law 22/2023/QH15 Art. 5 (bidder eligibility)'],
  needs: ['companies.registration_date', 'bids.is_winner'],
  needsAny: [['bids.award_date', 'bids.contract_date', 'bids.published_date']],
  params: {
    min_age_days: { default: 365, min: 1, integer: true, description: 'an award made less than this many days after the winner\'s registration is a young award' },
    size_from: { default: 0.75, min: 0, max: 1, description: 'percentile of all award values from which a young award counts as large' },
    size_full: { default: 0.95, min: 0, max: 1, description: 'percentile of all award values at which a young award is large in full' },
  },
  explain: {
    definition:
      'For each awarded tender whose winner is in the companies file with a registration date: the winner\'s age at the award (award date, else contract, else published date, minus registration_date). Each firm with awards at an age below `min_age_days` gets one finding listing them. How large those awards are — the percentile of the largest among all award values (award amount, else the winning bid) — decides how strong it is: a new firm winning a small job is common, a new firm winning one of the largest contracts is not.',
    formula:
      'age = award date − registration_date (days), young when 0 ≤ age < min_age_days; youth = ramp(min age, min_age_days → 0, 0 → 1); size = ramp(percentile of the largest young award, size_from → size_full, 0 → 1). Score = 0.2 + 0.25 × youth + 0.4 × size + 0.05 × ramp(young awards, 1, 3): a large award in the first months is high, a small one late in the first year stays low.',
    why: 'Firms created shortly before a tender, without track record, that win large contracts are a classic marker of shell companies and favoured insiders (GTI; World Bank integrity reviews). Track-record requirements should normally keep them out of large tenders.',
    falsePositives:
      'Re-registered firms (a new tax code after a merger, conversion or change of legal form), subsidiaries and joint-venture vehicles created for a project, and genuine start-ups winning small jobs.',
    exclusions:
      'A firm listed on several rows of the companies file takes its earliest registration date. Winners not in the companies file or without a registration date, awards without a date, and awards dated before the registration (a data error or a reused tax code; counted, not flagged) are not judged.',
  },
  run(data, p, ctx) {
    const units = data.units;
    const companies = data.companies!;
    const reg = companies.num('registration_date')!;
    // a firm listed on several rows (one per owner, or per change): its earliest registration date
    const cr = companyRows(data);
    const regOf = new Float64Array(data.parties.size).fill(NaN);
    const listed = new Uint8Array(data.parties.size);
    for (let party = 0; party < data.parties.size; party++)
      for (let k = cr.start[party]; k < cr.start[party + 1]; k++) {
        listed[party] = 1;
        const d = reg[cr.rows[k]];
        if (!Number.isNaN(d) && !(d >= regOf[party])) regOf[party] = d;
      }
    const { date, source } = unitDates(data);
    const value = awardValues(data);
    const notApplicable: Record<string, number> = {};

    const frozen = ctx.reference as Reference | undefined;
    const reference: Reference = frozen && Array.isArray(frozen.awardValues?.q) ? frozen : { awardValues: sketch(value) };

    const young = new Map<number, number[]>();
    const age = new Float64Array(units.n).fill(NaN);
    let applied = 0;
    for (let u = 0; u < units.n; u++) {
      const w = units.winner[u];
      if (w < 0) continue;
      if (!listed[w]) {
        count(notApplicable, 'winner not in the companies file');
        continue;
      }
      if (Number.isNaN(regOf[w])) {
        count(notApplicable, 'no registration date');
        continue;
      }
      if (Number.isNaN(date[u])) {
        count(notApplicable, 'no award date');
        continue;
      }
      const a = Math.floor((date[u] - regOf[w]) / DAY_MS);
      if (a < 0) {
        count(notApplicable, 'award dated before the registration');
        continue;
      }
      applied++;
      age[u] = a;
      if (a >= p.min_age_days) continue;
      let l = young.get(w);
      if (!l) young.set(w, (l = []));
      l.push(u);
    }

    const findings: FindingDraft[] = [];
    const tenderOrder = byTender(data);
    for (const w of [...young.keys()].sort((a, b) => a - b)) {
      // by date, awards of one day by tender id (not by row)
      const us = young.get(w)!.sort((a, b) => date[a] - date[b] || tenderOrder(a, b));
      const minAge = Math.min(...us.map((u) => age[u]));
      let top = NaN;
      for (const u of us) if (value[u] > 0 && !(value[u] <= top)) top = value[u];
      const pct = Number.isNaN(top) ? NaN : rankIn(reference.awardValues, top);
      const youth = ramp(minAge, p.min_age_days, 0, 0, 1);
      const size = Number.isNaN(pct) ? 0 : ramp(pct, p.size_from, p.size_full, 0, 1);
      const score = 0.2 + 0.25 * youth + 0.4 * size + 0.05 * ramp(us.length, 1, 3, 0, 1);
      const total = us.reduce((s, u) => s + (value[u] > 0 ? value[u] : 0), 0);
      const regDate = isoDay(regOf[w]);
      findings.push({
        score,
        title: `${partyLabel(data, w)}, registered ${regDate}, won ${us.length} award${us.length > 1 ? 's' : ''} within ${p.min_age_days} days (${us.length > 1 ? 'the first ' : ''}at ${minAge} days old)`,
        entities: [companyEntity(data, w), ...us.map((u) => tenderEntity(data, u))],
        amount: total || null,
        evidence: {
          registrationDate: regDate,
          awards: us.map((u) => ({
            tender: tenderLabel(data, u),
            date: isoDay(date[u]),
            dateFrom: source[u],
            ageDays: age[u],
            amount: Number.isNaN(value[u]) ? null : value[u],
          })),
          youngestAgeDays: minAge,
          largestAward: Number.isNaN(top) ? null : top,
          largestAwardPercentile: Number.isNaN(pct) ? null : round(pct, 4),
          valueWon: total,
          threshold: { min_age_days: p.min_age_days, size_from: p.size_from, size_full: p.size_full },
        },
        explanation: `Registered on ${regDate}, the firm won ${us.length} award${us.length > 1 ? 's' : ''} worth ${fmtAmount(total)} before it was ${p.min_age_days} days old, ${us.length > 1 ? 'the first at' : 'at'} ${minAge} days${Number.isNaN(pct) ? '' : sizeText(top, pct, reference.awardValues, p.size_from, us.length > 1)}: check who stands behind it and how it met the experience requirements.`,
      });
    }
    const repeated = repeatedNote(cr, 'the earliest registration date of a firm\'s rows is used');
    return {
      findings,
      applied,
      notApplicable,
      notes: repeated ? [repeated] : undefined,
      reference,
      cutoffs: reference.awardValues.n
        ? { largeFrom: round(quantile(reference.awardValues, p.size_from), 0), largeFull: round(quantile(reference.awardValues, p.size_full), 0) }
        : undefined,
    };
  },
});

/**
 * Where the firm's largest young award sits among all awards: "the largest of all awards" at the top
 * (a mid-rank is never 100% and a rounded 99.6% would print as "100%"), else the share it exceeds,
 * rounded down, with the percentile from which an award counts as large when it is below it.
 */
function sizeText(top: number, pct: number, ref: Sketch, sizeFrom: number, several: boolean): string {
  const largest = ref.q.length > 0 && top >= ref.q[ref.q.length - 1];
  const where = largest ? 'the largest award of all' : `larger than ${Math.floor(pct * 100)}% of all awards`;
  const small = !largest && pct < sizeFrom ? ` (an award counts as large from ${Math.round(sizeFrom * 100)}%)` : '';
  return `; ${several ? `the largest of them, ${fmtAmount(top)},` : 'it'} is ${where}${small}`;
}
