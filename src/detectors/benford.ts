import { ramp } from '../scoring/score.js';
import { benfordFromCounts, bothLeadingDigits, MAD_LIMITS, type BenfordResult } from '../stats/benford.js';
import { invoiceIndex, standingOrders } from '../graph/invoice-index.js';
import { defineDetector, type FindingDraft } from './types.js';
import { buyerEntity, companyEntity, count, partyLabel, round } from './util.js';

export default defineDetector({
  id: 'benford',
  title: 'Invoice amounts depart from Benford\'s law',
  family: 'invoice',
  rationale: 'Amounts that arise naturally follow Benford\'s law; invented amounts (fabricated invoices, amounts kept under a limit) usually do not.',
  sources: ['Nigrini, Benford\'s Law (2012), ch. 4–5', 'Nigrini & Mittermaier (1997)', 'Drake & Nigrini (2000)'],
  needs: ['invoices.seller_id'],
  needsAny: [['invoices.amount', 'invoices.total_amount']],
  uses: ['invoice-index', 'standing-orders'],
  params: {
    min_n: { default: 100, min: 20, integer: true, description: 'invoices a seller (or buyer) needs for the first-digit test' },
    min_n_two: { default: 300, min: 50, integer: true, description: 'invoices needed for the first-two-digits test' },
    by: { default: 'both', values: ['seller', 'buyer', 'both'], description: 'test each seller, each buyer, or both' },
    max_p: { default: 0.001, min: 0, max: 1, description: 'chi-square p-value below which a nonconforming MAD counts (guards against noise in small samples)' },
    market_cap: { default: 0.45, min: 0, max: 1, description: 'highest score when the amounts of the whole input do not follow Benford themselves (first-digit nonconformity)' },
    distinct: { default: false, description: 'test each distinct amount of a party once, so a price list or standing order does not dominate the digits' },
    min_noise_ratio: { default: 2, min: 1, description: 'the MAD must also be this many times the MAD that sampling noise alone gives for that n' },
  },
  explain: {
    definition: 'For each seller (and each buyer) with at least `min_n` invoices (with `distinct`, distinct amounts), the first digit (and, with more invoices, the first two digits) of the invoice amounts (lines folded into invoices; amounts under 10 left out of the two-digit test; standing orders — the same amount for the same kind of item to the same buyer at least 25 days apart, such as rent and subscriptions — left out, as they are not naturally occurring amounts) compared with Benford\'s distribution.',
    formula: 'EP(d) = log10(1 + 1/d); MAD = mean |AP − EP| over the digits, classed by Nigrini: first digit ≤ 0.006 close, ≤ 0.012 acceptable, ≤ 0.015 marginal, else nonconformity; first two ≤ 0.0012 / 0.0018 / 0.0022. chi² = Σ (O − E)² / E against the fixed distribution, 8 or 89 degrees of freedom (no parameter estimated). Z(d) = (|AP − EP| − 1/(2N)) / sqrt(EP(1 − EP)/N) names the worst digits. Flag when a test is nonconforming, p(chi²) < max_p and MAD ≥ min_noise_ratio × the MAD expected from noise at that N. Score 0.5 at the nonconformity limit to 0.75 at 3 × the limit (the stronger test), + 0.05 when both tests fail; capped at market_cap when the whole input\'s first digits are nonconforming too (amounts cut at a reporting threshold, prices set by rule). With `distinct` each distinct amount of a party counts once, and min_n counts distinct amounts.',
    why: 'People who invent numbers favour some digits and avoid others; amounts kept just under an approval or tender limit pile up on particular leading digits. Benford screening is a standard audit test for fabricated or manipulated invoices.',
    falsePositives: 'Sellers with a short price list (the same few products or a fixed fee), amounts bounded by a cap, and tiny samples. The tool needs min_n invoices and a significant chi-square, but a flagged seller is a lead for sampling invoices, not proof.',
    exclusions: 'Zero, negative-signed amounts are tested by magnitude; blank amounts are skipped. Invoices of a buyer are tested as the buyer\'s purchases: the buyer is listed only for buyer-level findings.',
  },
  run(data, p) {
    const ix = invoiceIndex(data);
    const findings: FindingDraft[] = [];
    const notApplicable: Record<string, number> = {};
    let applied = 0;
    const sides: ('seller' | 'buyer')[] = p.by === 'both' ? ['seller', 'buyer'] : [p.by as 'seller' | 'buyer'];
    const P = data.parties.size;
    const standing = standingOrders(data);
    // leading digits of every invoice, once for both sides
    const digit1 = new Uint8Array(ix.n);
    const digit2 = new Uint8Array(ix.n);
    for (let i = 0; i < ix.n; i++) {
      const a = ix.amount[i];
      if (Number.isNaN(a) || a === 0) continue;
      const d = bothLeadingDigits(a);
      digit1[i] = d & 0xff;
      digit2[i] = d >> 8;
    }
    // the market as a whole: when all amounts together do not follow Benford (a reporting threshold
    // such as "payments over 500", a regulated price list), a party's departure says little
    const all = new Float64Array(10);
    for (let i = 0; i < ix.n; i++) {
      if (!standing[i] && digit1[i] > 0) all[digit1[i]]++;
    }
    const market = benfordFromCounts(all, 'first');
    const marketFails = market.n >= p.min_n && market.conformity === 'nonconformity';
    const notes: string[] = [];
    if (marketFails)
      notes.push(`All ${market.n} invoice amounts together do not follow Benford (first-digit MAD ${market.mad.toFixed(4)}): the data may be cut at a threshold or priced by rule, so findings are capped at ${p.market_cap}.`);
    for (const side of sides) {
      const who = side === 'seller' ? ix.seller : ix.buyer;
      // the amounts tested: per party, each distinct amount once (p.distinct) or every invoice
      const eligible = (i: number) => who[i] >= 0 && ix.amount[i] !== 0 && !Number.isNaN(ix.amount[i]) && !standing[i];
      // invoices of standing orders per party, set aside (counted only for the findings' wording)
      const setAside = new Int32Array(P);
      for (let i = 0; i < ix.n; i++) if (standing[i] && who[i] >= 0 && ix.amount[i] !== 0 && !Number.isNaN(ix.amount[i])) setAside[who[i]]++;
      // the eligible invoices grouped by party, parties ascending: party q's are order[start[q] .. start[q + 1])
      // (a counting sort in invoice order, so its reads are sequential), so that each party's digits are
      // counted in two small arrays at once
      let order: Int32Array | null = null;
      // without `distinct`, the party's digits themselves (first | firstTwo << 8), in the same order
      let digitsAt: Uint16Array | null = null;
      const start = new Int32Array(P + 1);
      if (p.distinct) {
        // per party by amount, so repeats of an amount are adjacent
        const list: number[] = [];
        for (let i = 0; i < ix.n; i++) if (eligible(i)) list.push(i);
        list.sort((a, b) => who[a] - who[b] || ix.amount[a] - ix.amount[b] || a - b);
        order = Int32Array.from(list);
        for (const i of list) start[who[i] + 1]++;
        for (let q = 0; q < P; q++) start[q + 1] += start[q];
      } else {
        const ok = new Uint8Array(ix.n);
        for (let i = 0; i < ix.n; i++)
          if (eligible(i)) {
            ok[i] = 1;
            start[who[i] + 1]++;
          }
        for (let q = 0; q < P; q++) start[q + 1] += start[q];
        const next = start.slice(0, P);
        digitsAt = new Uint16Array(start[P]);
        for (let i = 0; i < ix.n; i++) if (ok[i]) digitsAt[next[who[i]]++] = digit1[i] | (digit2[i] << 8);
      }
      const first = new Float64Array(10);
      const two = new Float64Array(100);
      for (let q = 0; q < P; q++) {
        const k = start[q];
        const e = start[q + 1];
        if (e === k) continue;
        const total = e - k;
        let tested = 0;
        first.fill(0);
        two.fill(0);
        for (let j = k; j < e; j++) {
          let d1: number;
          let d2: number;
          if (order) {
            const i = order[j];
            if (j > k && ix.amount[order[j - 1]] === ix.amount[i]) continue;
            d1 = digit1[i];
            d2 = digit2[i];
          } else {
            d1 = digitsAt![j] & 0xff;
            d2 = digitsAt![j] >> 8;
          }
          tested++;
          if (d1 > 0) first[d1]++;
          if (d2 > 0) two[d2]++;
        }
        if (tested < p.min_n) {
          if (side === 'seller' || p.by === 'buyer') count(notApplicable, `fewer than ${p.min_n} ${p.distinct ? 'distinct amounts' : 'invoices'}`);
          continue;
        }
        applied++;
        const r1 = benfordFromCounts(first, 'first');
        const r2 = benfordFromCounts(two, 'firstTwo');
        const tests: BenfordResult[] = [];
        if (r1.n >= p.min_n) tests.push(r1);
        if (r2.n >= p.min_n_two) tests.push(r2);
        let best = 0;
        let worst: BenfordResult | undefined;
        let failed = 0;
        for (const r of tests) {
          const limit = MAD_LIMITS[r.test][2];
          if (r.conformity !== 'nonconformity' || !(r.p < p.max_p) || r.mad < p.min_noise_ratio * r.expectedMad) continue;
          failed++;
          const sc = ramp(r.mad, limit, 3 * limit, 0.5, 0.75);
          if (sc > best) [best, worst] = [sc, r];
        }
        if (!worst) continue;
        if (failed === 2) best += 0.05;
        const label = partyLabel(data, q);
        const digits = worst.worst.slice(0, 3).map((z) => `${z.digit} (${(z.ap * 100).toFixed(1)}% vs ${(z.ep * 100).toFixed(1)}%)`).join(', ');
        const describe = (r: BenfordResult) => ({
          n: r.n,
          mad: round(r.mad, 5),
          conformity: r.conformity,
          madLimits: MAD_LIMITS[r.test],
          expectedMadFromNoise: round(r.expectedMad, 5),
          chi2: round(r.chi2, 2),
          df: r.df,
          p: Number(r.p.toPrecision(3)),
          worstDigits: r.worst.map((z) => ({ digit: z.digit, actual: round(z.ap, 4), expected: round(z.ep, 4), z: round(z.z, 2) })),
        });
        findings.push({
          score: marketFails ? Math.min(best, p.market_cap) : best,
          title: `${side === 'seller' ? 'Sales' : 'Purchases'} of ${label}: ${worst.test === 'first' ? 'first' : 'first-two'} digits nonconforming to Benford (MAD ${worst.mad.toFixed(worst.test === 'first' ? 4 : 5)})`,
          entities: [side === 'seller' ? companyEntity(data, q) : buyerEntity(data, q)],
          key: side,
          evidence: {
            side,
            marketFirstDigitMad: round(market.mad, 5),
            marketConforms: !marketFails,
            invoices: total,
            standingOrdersSetAside: setAside[q],
            amountsTested: tested,
            distinctOnly: p.distinct,
            // the tested amounts by first digit 1–9 (what the html and markdown reports draw)
            firstDigit: r1.n > 0 ? { ...describe(r1), counts: Array.from(first.subarray(1)) } : null,
            firstTwoDigits: r2.n >= p.min_n_two ? describe(r2) : { n: r2.n, skipped: `fewer than ${p.min_n_two} amounts of 10 or more` },
            threshold: { min_n: p.min_n, min_n_two: p.min_n_two, max_p: p.max_p, min_noise_ratio: p.min_noise_ratio },
          },
          explanation: `The ${worst.n} invoice amounts ${side === 'seller' ? 'issued by' : 'received by'} ${label}${setAside[q] ? ` (${setAside[q]} more of standing orders set aside)` : ''} have a ${worst.test === 'first' ? 'first-digit' : 'first-two-digit'} MAD of ${worst.mad.toFixed(5)} (nonconformity above ${MAD_LIMITS[worst.test][2]}, chi² p = ${worst.p.toPrecision(2)}); largest deviations (Z): ${digits}.`,
        });
      }
    }
    return { findings, applied, notApplicable, notes, cutoffs: market.n ? ({ marketFirstDigitMad: round(market.mad, 5), marketConformity: market.conformity } as Record<string, number | string>) : {} };
  },
});
