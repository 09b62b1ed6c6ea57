/**
 * What findings say, read as an inspector reads them: no impossible shares ("above 100% of all awards",
 * "wider than 100.0% of tenders"), no formulas or parameter names in the sentence, names written as the
 * registry writes them rather than as folded match keys, counts that count what the title claims.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOn } from '../helpers/run.js';

const fx = (d: string, f: string) => join(import.meta.dirname, '..', 'fixtures', d, f);

describe('new-company-winner wording', () => {
  it('calls the largest award the largest, not "above 97% of all awards", and says when an award is not large', async () => {
    const d = 'new-company-winner';
    const r = await runOn([{ kind: 'bids', path: fx(d, 'bids.csv') }, { kind: 'companies', path: fx(d, 'companies.csv') }], [d]);
    const of = (id: string) => r.findings.find((f) => f.entities.some((e) => e.id === id))!;
    const big = of('NEWCO');
    expect(big.title).toContain('won 1 award within 365 days (at 60 days old)');
    expect(big.explanation).toContain('at 60 days; it is the largest award of all:');
    expect(big.explanation).not.toMatch(/above \d+% of all awards/);
    const small = of('SMALLCO');
    expect(small.explanation).toContain('it is larger than 3% of all awards (an award counts as large from 75%)');
  });
});

/** A bids file of `n` three-bid tenders whose second bid is 1%…20% above the first, and T-WIDE at +60%. */
function gapsFile(n: number): string {
  const lines = ['tender_id,buyer_id,bidder_id,bid_amount,is_winner'];
  for (let i = 0; i < n; i++) {
    const gap = 0.01 + (0.19 * i) / n;
    const t = `T${String(i).padStart(3, '0')}`;
    lines.push(`${t},B1,A,1000000,true`, `${t},B1,B,${Math.round(1e6 * (1 + gap))},false`, `${t},B1,C,${Math.round(1e6 * (1 + gap + 0.01))},false`);
  }
  lines.push('T-WIDE,B1,A,1000000,true', 'T-WIDE,B1,B,1600000,false', 'T-WIDE,B1,C,1700000,false');
  const dir = mkdtempSync(join(tmpdir(), 'gaps-'));
  writeFileSync(join(dir, 'bids.csv'), `${lines.join('\n')}\n`);
  return join(dir, 'bids.csv');
}

describe('heavily-discounted-win wording', () => {
  it('says no tender has a wider gap instead of "wider than 100.0% of tenders", without the DIFFP formula', async () => {
    const r = await runOn([{ kind: 'bids', path: gapsFile(150) }], ['heavily-discounted-win']);
    const f = r.findings.find((x) => x.entities.some((e) => e.id === 'T-WIDE'))!;
    expect(f.explanation).toContain('which is 60.0% above it (threshold 25%; no tender in segment "all" has a wider gap)');
    expect(f.explanation).not.toContain('100.0%');
    expect(f.explanation).not.toContain('DIFFP');
  });
});

describe('identical-bids wording', () => {
  const d = 'identical-bids';
  it('says unrounded bids are not rounded rather than "multiples of 1", and the standard deviation in words', async () => {
    const r = await runOn([{ kind: 'bids', path: fx(d, 'flags.csv') }], [d]);
    const t1 = r.findings.find((f) => f.entities.some((e) => e.id === 'T1'))!;
    expect(t1.explanation).toContain("the tender's 3 bids are not rounded (written to the unit) with a standard deviation of 43,551");
    expect(t1.explanation).not.toMatch(/multiples of 1 |\(sd\)/);
  });

  it('says "so the score is lowered" once when both the chance of a tie and the segment\'s ties lower it', async () => {
    // R1 of round.csv (a tie 1.6% likely at its rounding) among three tenders without ties: ties in 25% of them
    const rows = readFileSync(fx(d, 'round.csv'), 'utf8').split('\n').filter((l) => !l.startsWith('R2'));
    for (const t of ['C1', 'C2', 'C3']) rows.push(`${t},WORKS-BQL,X1,100000000,true`, `${t},WORKS-BQL,X2,110000000,false`);
    const dir = mkdtempSync(join(tmpdir(), 'ties-'));
    writeFileSync(join(dir, 'bids.csv'), `${rows.filter(Boolean).join('\n')}\n`);
    const r = await runOn([{ kind: 'bids', path: join(dir, 'bids.csv') }], [d], ['identical-bids.min_segment=2', 'identical-bids.rare_share=0.1', 'identical-bids.ordinary_share=0.5']);
    const r1 = r.findings.find((f) => f.entities.some((e) => e.id === 'R1'))!;
    expect(r1.explanation).toContain('a tie by chance has a probability of about 1.6% (full weight at ≤ 0.1%, none at 5%); ties occur in');
    expect(r1.explanation.match(/the score is lowered/g)).toHaveLength(1);
  });
});

describe('company-groups and shared-identity wording', () => {
  const d = 'company-groups';
  const specs = () => [{ kind: 'bids' as const, path: fx(d, 'namesake-bids.csv') }, { kind: 'companies' as const, path: fx(d, 'namesake-companies.csv') }];

  it('counts the members that bid against each other and names the one linked by a name alone apart', async () => {
    const r = await runOn(specs(), [d]);
    const [f] = r.findings;
    expect(f.title).toBe('3 linked firms bid against each other in 3 tenders and won 3');
    expect(f.explanation).toContain('linked to the group as well but bidding in none of these tenders, and so not listed: Công ty Cổ phần Tin học Mềm (SOFT1), by person Tạ Quang Vĩnh (only these 2 firms).');
    expect(f.evidence.members).toHaveLength(3);
    expect(f.evidence.linkedButNotBidding).toMatchObject([{ id: 'SOFT1', linkedTo: 'BLUE' }]);
  });

  it('writes a bank account and a person as the registry writes them, not as folded match keys', async () => {
    const r = await runOn(specs(), ['shared-identity']);
    const [f] = r.findings;
    expect(f.title).toContain('bank account "0011002233445 - Vietcombank"');
    expect(f.explanation).toContain('share person Phan Thị Mười');
    expect(f.explanation).not.toContain('phan thi muoi');
  });
});

describe('chances in explanations', () => {
  it('buyer-steering and excessive-disqualifications write odds as "1 in N" and say threshold, not max_p', async () => {
    const steer = await runOn([{ kind: 'bids', path: fx('buyer-steering', 'bids.csv') }], ['buyer-steering']);
    expect(steer.findings[0].explanation).toContain('that many is a 1 in 2,900 chance (threshold 0.005)');
    const dq = await runOn([{ kind: 'bids', path: fx('excessive-disqualifications', 'flags.csv') }], ['excessive-disqualifications']);
    expect(dq.findings[0].explanation).toContain('chance 1 in 42,000 at the pooled 10.5%');
    for (const f of [...steer.findings, ...dq.findings]) expect(f.explanation).not.toMatch(/\de-\d|max_p/);
  });
});

describe('detector notes', () => {
  it('the notes of spend-without-award and circular-invoicing agree with their counts', async () => {
    const s = await runOn([{ kind: 'bids', path: fx('spend-without-award', 'bids.csv') }, { kind: 'invoices', path: fx('spend-without-award', 'invoices.csv') }], ['spend-without-award']);
    expect(s.detectors[0].notes?.[0]).toMatch(/^1 seller → public buyer pair has an award on record; 0 invoices fall outside/);
    const c = await runOn([{ kind: 'invoices', path: fx('circular-invoicing', 'flags.csv') }], ['circular-invoicing']);
    expect(c.detectors[0].notes?.[0]).toMatch(/3 cycles in 1 ring\.$/);
  });
});

describe('similar-names wording', () => {
  it('writes the shared name as the firm writes it, not as its folded core', async () => {
    const r = await runOn([{ kind: 'bids', path: fx('similar-names', 'bids.csv') }], ['similar-names']);
    const [f] = r.findings;
    expect(f.title).toBe('2 co-bidders named "Xây dựng An Phát" apart from legal form and place, in 2 tenders');
    expect(f.explanation).toContain('("Xây dựng An Phát", similarity 1 ≥ 0.9); they won 2 of the 2 with a known winner.');
    expect(f.evidence.names).toContainEqual(expect.objectContaining({ id: 'AP1', core: 'xay dung an phat' }));
  });
});

describe('vat-mismatch wording', () => {
  it('names an invoice by number and series, not "invoice 3" alone', async () => {
    const lines = ['invoice_id,series,number,issue_date,seller_id,buyer_id,amount,vat_rate,vat_amount'];
    for (let i = 1; i <= 6; i++) lines.push(`V-${i},C23TBD,${i},2023-02-1${i},LOWVAT,CITY-HOSP,20000000,8%,1600000`);
    const dir = mkdtempSync(join(tmpdir(), 'vat-'));
    writeFileSync(join(dir, 'invoices.csv'), `${lines.join('\n')}\n`);
    const r = await runOn([{ kind: 'invoices', path: join(dir, 'invoices.csv') }], ['vat-mismatch']);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0].explanation).toMatch(/; e\.g\. invoice number \d, series C23TBD with the reduced 8% rate/);
    const one = await runOn([{ kind: 'invoices', path: join(dir, 'invoices.csv') }], ['vat-mismatch'], ['vat-mismatch.per_seller=10']);
    expect(one.findings.find((f) => f.entities.some((e) => e.id === 'V-1'))!.title).toBe('LOWVAT, invoice number 1, series C23TBD: 8% rate not allowed on 2023-02-11');
  });
});

describe('bid-screens wording', () => {
  it('says once what CV is, and writes the spread as how far the highest bid is above the lowest', async () => {
    const r = await runOn([{ kind: 'bids', path: fx('bid-screens', 'flags.csv') }], ['bid-screens']);
    expect(r.findings[0].explanation).toMatch(/^The \d+ valid bids have a coefficient of variation \(CV: standard deviation \/ mean\) of [\d.]+%, the highest [\d.]+% above the lowest; /);
  });
});
