import { foldText } from '../normalize/fold.js';
import { ramp } from '../scoring/score.js';
import { invoiceIndex, numberValue, stableOrder, standingOrders, type InvoiceIndex } from '../graph/invoice-index.js';
import { invoiceEntity, invoiceKey, invoiceRef, uniqueKeys } from './invoice-facts.js';
import { defineDetector, type FindingDraft } from './types.js';
import { companyEntity, count, fmtAmount, partyLabel, round, plural } from './util.js';
import { DAY_MS, isoDay } from '../util/dates.js';

const CORRECTIONS = new Set(['cancelled', 'replaced', 'adjusted', 'replacement', 'adjustment']);

function tokens(s: string): Set<string> {
  return new Set(foldText(s).split(/[^a-z0-9]+/).filter((w) => w.length > 0));
}

/** Jaccard similarity of the word sets of two descriptions (1 when both are equal after folding). */
export function descriptionSimilarity(a: string, b: string): number {
  if (!a || !b) return 0;
  const ta = tokens(a);
  const tb = tokens(b);
  let both = 0;
  for (const w of ta) if (tb.has(w)) both++;
  const union = ta.size + tb.size - both;
  return union ? both / union : 0;
}

/** Exact copies across two input files, at least this many and half of all, get a note that the files may overlap. */
const CROSS_FILE_MIN = 10;

export default defineDetector({
  id: 'duplicate-invoices',
  title: 'Duplicate invoices',
  family: 'invoice',
  rationale: 'The same bill presented twice — under the same number, or under a new number days later for the same buyer and amount — is the classic double-billing fraud.',
  sources: ['ACFE Fraud Examiners Manual: duplicate billing schemes', 'Nigrini, Forensic Analytics (2011), ch. 11 (same-same-same and same-same-different tests)', 'VN Decree 123/2020/ND-CP art. 10 (invoice numbering)'],
  needs: ['invoices.seller_id', 'invoices.number', 'invoices.issue_date'],
  needsAny: [['invoices.amount', 'invoices.total_amount']],
  uses: ['invoice-index', 'standing-orders'],
  params: {
    window_days: { default: 7, min: 0, description: 'two invoices of the same seller, buyer and amount this many days apart or less (under different numbers) are a near duplicate' },
    repeat_window_days: { default: 24, min: 0, description: 'a large invoice repeated to the same buyer with the same amount and the same description (under another number) this many days later or less is a near duplicate too (a standing order is at least 25 days apart)' },
    repeat_min_amount: { default: 100_000_000, min: 0, description: 'smallest amount (before VAT) for the longer repeat_window_days' },
    min_similarity: { default: 0.8, min: 0, max: 1, description: 'word overlap (Jaccard) of descriptions for a same-amount pair to different buyers' },
    per_seller: { default: 5, min: 1, integer: true, description: 'a seller with more near or description pairs than this gets one finding for all of them (score one step lower: many equal amounts usually mean a standard price)' },
    recurring_min: { default: 3, min: 2, integer: true, description: 'a same-buyer, same-amount series this long whose gaps are all at least recurring_gap_days is a standing order, not a duplicate' },
    recurring_gap_days: { default: 6, min: 1, description: 'see recurring_min' },
  },
  explain: {
    definition: 'Pairs of invoices of one seller that look like the same bill: (exact) the same series and number issued twice; (near) the same buyer and net amount within window_days under different numbers, or, for amounts of at least repeat_min_amount with the same description word for word, within repeat_window_days (kind repeat); (description) the same amount within window_days with near-identical descriptions, to different buyers. The later invoice of a pair is the finding; the earlier one is evidence.',
    formula: 'exact: score 0.85 (0.6 when one copy is cancelled or replaced). near: gap g days, score 0.75 at g = 0 down to 0.55 at g = window_days, + 0.1 when the descriptions match (≥ min_similarity); 0.45 when both have descriptions and they differ (another item at the same price). repeat (beyond window_days, up to repeat_window_days): 0.7 at window_days down to 0.6, + 0.05 for consecutive numbers. description: score 0.5 (0.4 for descriptions under 5 words), between two different known buyers. Without a buyer on record, the same amount and description within the window scores 0.3 (window_days apart) to 0.45 (same day): a lead for a duplicate-payment review, low on its own. A seller with more than per_seller near or description pairs gets one finding listing the seller and up to 50 later copies, scored 0.1 below its strongest pair. Lines are folded into invoices first; pairs in which either invoice is a cancellation, replacement or adjustment are left out of near and description pairs; same-buyer same-amount series of ≥ recurring_min invoices with every gap ≥ recurring_gap_days (weekly deliveries, rent) are not duplicates, nor are invoices of a standing order (the same amount and kind of item to the same buyer at least 25 days apart: rent, subscriptions).',
    why: 'Duplicate payments are among the most frequent and costly invoice frauds and errors; exact number reuse is also a breach of the e-invoice numbering rules.',
    falsePositives: 'Two genuine orders of the same item on the same day, instalments of equal size, exports that list an invoice and its corrected version without a status, and standard-priced items sold to several buyers (description pairs).',
    exclusions: 'Blank and zero amounts are not paired. Invoices without a buyer are paired only by number or description.',
  },
  run(data, p) {
    const ix = invoiceIndex(data);
    const t = data.invoices!;
    const status = t.str('status');
    const desc = t.str('description');
    const correctionCode = status ? status.dict.map((x) => CORRECTIONS.has(x)) : [];
    const correction = new Uint8Array(ix.n);
    if (status) for (let inv = 0; inv < ix.n; inv++) if (status.codes[ix.firstRow[inv]] >= 0 && correctionCode[status.codes[ix.firstRow[inv]]]) correction[inv] = 1;
    const isCorrection = (inv: number) => correction[inv] === 1;
    const descOf = (inv: number) => (desc ? t.text('description', ix.firstRow[inv]) : '');
    const findings: FindingDraft[] = [];
    const notApplicable: Record<string, number> = {};
    const win = p.window_days * DAY_MS;
    const repeatWin = Math.max(p.window_days, p.repeat_window_days) * DAY_MS;
    const numCol = t.str('number');
    const nvOf = (inv: number) => {
      const c = numCol ? numCol.codes[ix.firstRow[inv]] : -1;
      return c < 0 ? NaN : numberValue(numCol!.dict[c]);
    };
    const flagged = new Uint8Array(ix.n);
    const standing = standingOrders(data);
    // ids from what the invoices are (ids, days, amounts), never from rows: reordering the export or
    // dropping unrelated rows keeps them; ties in date and amount ordered by number and id
    const order = stableOrder(data, ix);
    const uniqueKey = uniqueKeys();
    const amountCol = t.num('amount');
    // ix.amount is the amount before VAT, or the total when the amount is blank
    const basis = (inv: number) => (amountCol && !Number.isNaN(amountCol[ix.firstRow[inv]]) ? 'before VAT' : 'incl. VAT');
    const money = (inv: number) => `${fmtAmount(ix.amount[inv])} ${basis(inv)}`;
    const num = (inv: number) => t.text('number', ix.firstRow[inv]);
    const titleOf = (later: number, earlier: number, kind: string, gap: number) => {
      const seller = partyLabel(data, ix.seller[later]);
      const when = `${isoDay(ix.date[earlier])} and ${gap === 0 ? 'the same day' : `${isoDay(ix.date[later])} (${plural(gap, 'day')} later)`}`;
      if (kind === 'exact')
        return `Invoice number issued twice: ${seller}, ${ix.parts.seriesText(ix.firstRow[later]) || 'no series'}, number ${num(later)} on ${when}, billing ${money(later)}${ix.amount[later] === ix.amount[earlier] ? ' each time' : ` (the first ${money(earlier)})`}`;
      if (kind === 'description') return `Possible duplicate: ${seller} invoiced ${money(later)} once to each of two buyers with the same description, as number ${num(earlier)} and number ${num(later)}, on ${when}`;
      const to = ix.buyer[later] >= 0 ? ` to ${partyLabel(data, ix.buyer[later])}` : ' (no buyer on record)';
      return `Possible duplicate: ${seller} invoiced ${money(later)}${to} twice, as number ${num(earlier)} and number ${num(later)}, on ${when}`;
    };
    const push = (later: number, earlier: number, kind: string, score: number, extra: Record<string, unknown>, why: string) => {
      flagged[later] = 1;
      const seller = ix.seller[later];
      const gap = Math.round((ix.date[later] - ix.date[earlier]) / DAY_MS);
      findings.push({
        score,
        title: titleOf(later, earlier, kind, gap),
        entities: [invoiceEntity(data, ix, later), companyEntity(data, seller)],
        amount: Number.isNaN(ix.amount[later]) ? null : ix.amount[later],
        key: uniqueKey(`${kind}:${invoiceKey(data, ix, later)}<${invoiceKey(data, ix, earlier)}`),
        evidence: { kind, later: invoiceRef(data, ix, later), earlier: invoiceRef(data, ix, earlier), gapDays: gap, amountBasis: basis(later), ...extra, threshold: { window_days: p.window_days, min_similarity: p.min_similarity, repeat_window_days: p.repeat_window_days, repeat_min_amount: p.repeat_min_amount } },
        explanation: why,
      });
    };

    // exact: later copies of one key
    const firstOfKey = new Map<number, number>();
    for (let inv = 0; inv < ix.n; inv++) {
      if (ix.copy[inv] === 0) continue;
      firstOfKey.set(ix.key[inv], -1);
    }
    const copiesOf = new Map<number, number[]>();
    for (let inv = 0; inv < ix.n; inv++) {
      if (!firstOfKey.has(ix.key[inv])) continue;
      let l = copiesOf.get(ix.key[inv]);
      if (!l) copiesOf.set(ix.key[inv], (l = []));
      l.push(inv);
    }
    // exact copies whose two halves come from different input files: in bulk, the same invoices given twice
    const fileOf = (inv: number) => t.origin.file[ix.firstRow[inv]];
    const crossFile = new Map<string, number>();
    let exact = 0;
    for (const k of [...copiesOf.keys()].sort((a, b) => a - b)) {
      const l = copiesOf.get(k)!.sort(order);
      for (let i = 1; i < l.length; i++) {
        exact++;
        if (fileOf(l[i]) !== fileOf(l[i - 1])) {
          const files = [fileOf(l[i]), fileOf(l[i - 1])].sort((a, b) => a - b).join(' ');
          crossFile.set(files, (crossFile.get(files) ?? 0) + 1);
        }
        const corr = isCorrection(l[i]) || isCorrection(l[i - 1]);
        const same = ix.amount[l[i]] === ix.amount[l[i - 1]];
        push(l[i], l[i - 1], 'exact', corr ? 0.6 : 0.85, { sameAmount: same },
          `Invoice number ${t.text('number', ix.firstRow[l[i]])} of ${partyLabel(data, ix.seller[l[i]])} appears twice (${isoDay(ix.date[l[i - 1]])} and ${isoDay(ix.date[l[i]])}${same ? ', same amount' : ''}); an e-invoice number may be used once per series.`);
      }
    }

    // near and description pairs, per seller
    let applied = 0;
    for (const q of ix.sellers) {
      const s0 = ix.sellerStart[q];
      const s1 = ix.sellerStart[q + 1];
      applied++;
      const list: number[] = [];
      for (let j = s0; j < s1; j++) {
        const inv = ix.bySeller[j];
        if (ix.amount[inv] > 0 && !Number.isNaN(ix.date[inv]) && !isCorrection(inv)) list.push(inv);
      }
      if (list.length < 2) {
        count(notApplicable, 'fewer than 2 invoices');
        applied--;
        continue;
      }
      list.sort((a, b) => ix.amount[a] - ix.amount[b] || order(a, b));
      const before = findings.length;
      let i = 0;
      while (i < list.length) {
        let e = i + 1;
        while (e < list.length && ix.amount[list[e]] === ix.amount[list[i]]) e++;
        if (e - i >= 2) pairsOfAmount(list.slice(i, e));
        i = e;
      }
      if (findings.length - before > p.per_seller) summarise(q, findings.splice(before));
    }

    /** Many pairs of one seller: one finding for the seller listing the later invoices. */
    function summarise(q: number, drafts: FindingDraft[]): void {
      const label = partyLabel(data, q);
      drafts.sort((a, b) => b.score - a.score || (a.key! < b.key! ? -1 : 1));
      const kinds: Record<string, number> = {};
      let value = 0;
      for (const d of drafts) {
        const k = (d.evidence as { kind: string }).kind;
        kinds[k] = (kinds[k] ?? 0) + 1;
        value += d.amount ?? 0;
      }
      // a seller with many same-amount pairs is usually billing a standard price: one level down
      const score = Math.max(0.3, drafts[0].score - 0.1);
      findings.push({
        score,
        title: `${label}: ${drafts.length} possible duplicate invoices (same amount within ${plural(p.window_days, 'day')})`,
        entities: [companyEntity(data, q), ...drafts.slice(0, 50).map((d) => d.entities[0])],
        amount: value,
        key: 'seller',
        evidence: { kind: 'many', pairs: drafts.length, byKind: Object.fromEntries(Object.entries(kinds).sort()), examples: drafts.slice(0, 10).map((d) => d.evidence), threshold: { window_days: p.window_days, per_seller: p.per_seller } },
        explanation: `${label} has ${drafts.length} pairs of invoices with the same amount within ${plural(p.window_days, 'day')} under different numbers (${Object.entries(kinds).sort().map(([k, n]) => `${n} ${k}`).join(', ')}), worth ${fmtAmount(value)} in the later copies; e.g. ${drafts[0].explanation}`,
      });
    }

    function pairsOfAmount(g: number[]): void {
      // g: invoices with one amount, by date. Pairs of one buyer (or, when the buyer is blank, of one
      // description); standing orders set aside.
      const byBuyer = new Map<number, number[]>();
      for (const inv of g) {
        let k = ix.buyer[inv];
        if (k < 0) {
          const d = desc ? desc.codes[ix.firstRow[inv]] : -1;
          if (d < 0) continue;
          k = -2 - d;
        }
        let l = byBuyer.get(k);
        if (!l) byBuyer.set(k, (l = []));
        l.push(inv);
      }
      for (const b of [...byBuyer.keys()].sort((x, y) => x - y)) {
        const l = byBuyer.get(b)!;
        if (l.length < 2) continue;
        if (l.length >= p.recurring_min && isStandingOrder(ix, l, p.recurring_gap_days)) continue;
        for (let i = 1; i < l.length; i++) {
          const later = l[i];
          const earlier = l[i - 1];
          if (flagged[later] || ix.key[later] === ix.key[earlier] || standing[later] || standing[earlier]) continue;
          const gap = ix.date[later] - ix.date[earlier];
          if (gap > win) {
            // a large bill repeated word for word to the same buyer within the longer window
            if (b < 0 || gap > repeatWin || !(ix.amount[later] >= p.repeat_min_amount)) continue;
            const a = descOf(later);
            if (!a || foldText(a) !== foldText(descOf(earlier))) continue;
            const gapDays = Math.round(gap / DAY_MS);
            const next = Math.abs(nvOf(later) - nvOf(earlier)) === 1;
            push(later, earlier, 'repeat', ramp(gap / DAY_MS, p.window_days, p.repeat_window_days, 0.7, 0.6) + (next ? 0.05 : 0), { sameBuyer: true, descriptionSimilarity: 1, consecutiveNumbers: next },
              `${partyLabel(data, ix.seller[later])} billed ${partyLabel(data, b)} the same ${money(later)} for the same "${a}" again ${plural(gapDays, 'day')} later under ${next ? 'the next' : 'another'} number (repeats of ${fmtAmount(p.repeat_min_amount)} or more within ${p.repeat_window_days} days; a standing order is at least 25 days apart).`);
            continue;
          }
          const sim = descriptionSimilarity(descOf(later), descOf(earlier));
          const sameDesc = sim >= p.min_similarity;
          const gapDays = Math.round(gap / DAY_MS);
          if (b >= 0) {
            const otherItem = !sameDesc && descOf(later) !== '' && descOf(earlier) !== '';
            const score = otherItem ? 0.45 : ramp(gap / DAY_MS, p.window_days, 0, 0.55, 0.75) + (sameDesc ? 0.1 : 0);
            push(later, earlier, 'near', score, { sameBuyer: true, descriptionSimilarity: desc ? round(sim, 2) : null },
              `${partyLabel(data, ix.seller[later])} billed ${partyLabel(data, b)} the same ${money(later)} twice within ${plural(gapDays, 'day')} under different numbers${sameDesc ? ' with the same description' : ''} (window ${p.window_days} days).`);
          } else {
            // no buyer on record: same seller, amount and description; weaker
            push(later, earlier, 'near-no-buyer', ramp(gap / DAY_MS, p.window_days, 0, 0.3, 0.45), { sameBuyer: null, descriptionSimilarity: 1 },
              `${partyLabel(data, ix.seller[later])} issued the same ${money(later)} with the same description twice within ${plural(gapDays, 'day')} under different numbers (no buyer on record; window ${p.window_days} days).`);
          }
        }
      }
      if (!desc) return;
      // same amount, near-identical description, two different known buyers, within the window
      for (let i = 1; i < g.length; i++) {
        const later = g[i];
        if (flagged[later] || ix.buyer[later] < 0) continue;
        for (let j = i - 1; j >= 0 && ix.date[later] - ix.date[g[j]] <= win; j--) {
          const earlier = g[j];
          if (ix.buyer[earlier] < 0 || ix.buyer[earlier] === ix.buyer[later] || standing[later] || standing[earlier]) continue;
          const a = descOf(later);
          const sim = descriptionSimilarity(a, descOf(earlier));
          if (sim < p.min_similarity) continue;
          const words = tokens(a).size;
          push(later, earlier, 'description', words >= 5 ? 0.5 : 0.4, { sameBuyer: false, descriptionSimilarity: round(sim, 2), descriptionWords: words },
            `${partyLabel(data, ix.seller[later])} issued two invoices of ${money(later)} with near-identical descriptions (similarity ${sim.toFixed(2)}) within ${plural(Math.round((ix.date[later] - ix.date[earlier]) / DAY_MS), 'day')} to different buyers.`);
          break;
        }
      }
    }
    const warnings: string[] = [];
    for (const [files, n] of [...crossFile].sort((a, b) => b[1] - a[1]))
      if (n >= CROSS_FILE_MIN && n * 2 >= exact) {
        const [a, b] = files.split(' ').map((f) => data.inputs[Number(f)]?.path ?? f);
        warnings.push(`${n} of the ${exact} numbers issued twice pair an invoice in ${a} with one in ${b}: if the two files hold the same invoices (a header file and its lines, or one export given twice), give only one of them`);
      }
    // findings are per invoice pair, the judged unit is the seller
    const unitOf = (f: { entities: readonly { type: string; id: string }[] }) => f.entities.find((e) => e.type === 'company')?.id ?? '';
    return { findings, applied, notApplicable, unitOf, ...(warnings.length ? { warnings } : {}) };
  },
});

/** Every gap of the date-ordered series is at least `minGap` days. */
function isStandingOrder(ix: InvoiceIndex, l: number[], minGap: number): boolean {
  for (let i = 1; i < l.length; i++) if ((ix.date[l[i]] - ix.date[l[i - 1]]) / DAY_MS < minGap) return false;
  return true;
}
