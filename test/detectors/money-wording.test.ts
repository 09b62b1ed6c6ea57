/**
 * What the bids × invoices findings say: invoices tied to an award by seller, buyer and date only are
 * "invoices to this buyer that do not name the tender", with no conclusion drawn; amounts say whether they
 * include VAT; "goods" only for goods tenders.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOn } from '../helpers/run.js';

const fx = (d: string, f: string) => join(import.meta.dirname, '..', 'fixtures', d, f);

describe('invoice-before-award wording', () => {
  it('states the conclusion only for invoices naming the tender', async () => {
    const r = await runOn([{ kind: 'bids', path: fx('invoice-before-award', 'bids.csv') }, { kind: 'invoices', path: fx('invoice-before-award', 'invoices.csv') }], ['invoice-before-award']);
    const byTender = (t: string) => r.findings.find((f) => f.entities.some((e) => e.type === 'tender' && e.id === t))!;
    const pair = byTender('T3');
    expect(pair.title).toContain('on invoices that do not name the tender');
    expect(pair.explanation).toContain('1 invoice to this buyer that does not name the tender');
    expect(pair.explanation).not.toMatch(/billed before|procured/);
    expect(pair.explanation).toContain('incl. VAT');
    const ref = byTender('T1');
    expect(ref.explanation).toContain('naming this tender');
    // the fixture has no category: no "goods"
    expect(ref.explanation).toContain('the tender was billed before it was awarded');
    expect(ref.explanation).not.toContain('goods');
  });

  it('says goods for a goods tender', async () => {
    const r = await runOn([{ kind: 'bids', path: fx('invoice-before-award', 'goods-bids.csv') }, { kind: 'invoices', path: fx('invoice-before-award', 'invoices.csv') }], ['invoice-before-award']);
    const ref = r.findings.find((f) => f.entities.some((e) => e.id === 'T1'))!;
    expect(ref.explanation).toContain('the goods were billed before they were procured');
  });
});

describe('overbilling wording', () => {
  it('calls pair-and-date matches invoices to the buyer, says incl. VAT and draws no conclusion for them', async () => {
    const r = await runOn([{ kind: 'bids', path: fx('overbilling', 'bids.csv') }, { kind: 'invoices', path: fx('overbilling', 'invoices.csv') }], ['overbilling']);
    const byTender = (t: string) => r.findings.find((f) => f.entities.some((e) => e.type === 'tender' && e.id === t))!;
    const pair = byTender('T3');
    expect(pair.title).toContain('invoices from');
    expect(pair.title).toContain('to this buyer that do not name the tender add up to 115% of the award');
    expect(pair.explanation).toContain('incl. VAT');
    expect(pair.explanation).not.toContain('more than was awarded');
    expect(pair.evidence.billedBasis).toBe('incl. VAT');
    const ref = byTender('T1');
    expect(ref.title).toContain('billed 125% of the award');
    expect(ref.explanation).toMatch(/^2 invoices from the winner naming this tender bill 1,250,000,000 incl\. VAT/);
  });
});

describe('loser-invoices-winner wording', () => {
  it('names the other awards of the two firms whose windows also hold the invoices', async () => {
    const d = 'loser-invoices-winner';
    const r = await runOn([{ kind: 'bids', path: fx(d, 'repeat-bids.csv') }, { kind: 'invoices', path: fx(d, 'repeat-invoices.csv') }], [d]);
    const t6 = r.findings.find((f) => f.entities.some((e) => e.id === 'T6'))!;
    expect(t6.evidence.alsoInWindowOf).toEqual(['T4', 'T5', 'T7']);
    expect(t6.explanation).toContain('each invoice counted for one tender: the latest award between the two firms before it; 3 other awards of theirs, T4, T5, T7, also had their window open');
  });
});

describe('duplicate-invoices wording', () => {
  it('says which number was issued when, and whether the amount is before VAT', async () => {
    const r = await runOn([{ kind: 'invoices', path: fx('duplicate-invoices', 'flags.csv') }], ['duplicate-invoices']);
    const titles = r.findings.map((f) => f.title).sort();
    expect(titles).toContain('Invoice number issued twice: ACME, template 1, series C24TAA, number 101 on 2024-03-01 and 2024-03-15 (14 days later), billing 12,500,000 before VAT each time');
    expect(titles).toContain('Possible duplicate: ACME invoiced 45,678,000 before VAT to SCHOOL-1 twice, as number 102 and number 103, on 2024-04-02 and 2024-04-05 (3 days later)');
    const r2 = await runOn([{ kind: 'invoices', path: fx('duplicate-invoices', 'repeat.csv') }], ['duplicate-invoices']);
    expect(r2.findings[0].explanation).toBe(
      'BIGCO billed HONG-LINH the same 1,144,270,000 before VAT for the same "Thuê máy thi công" again 8 days later under the next number (repeats of 100,000,000 or more within 24 days; a standing order is at least 25 days apart).',
    );
  });
});

describe('vat-mismatch shortfall', () => {
  it('gives the VAT the allowed rate would give and the difference, per invoice and in total', async () => {
    const one = await runOn([{ kind: 'invoices', path: fx('vat-mismatch', 'flags.csv') }], ['vat-mismatch']);
    const v3 = one.findings.find((f) => f.entities.some((e) => e.id === 'V-3'))!;
    expect(v3.evidence).toMatchObject({ rate: '8', vatCharged: 1_600_000, vatExpected: 2_000_000, vatShortfall: 400_000, rateDue: '10' });
    expect(v3.explanation).toContain('VAT 1,600,000 where the 10% rate gives 2,000,000 (400,000 under-declared)');
    const many = await runOn([{ kind: 'invoices', path: fx('vat-mismatch', 'rates.csv') }], ['vat-mismatch']);
    expect(many.findings).toHaveLength(1);
    // 2% of 10 m + 20 m + … + 70 m = 5.6 m
    expect(many.findings[0].evidence).toMatchObject({ problems: 7, vatUnderDeclared: 5_600_000, vatUnderDeclaredInvoices: 7, vatOverCharged: null, vatOverChargedInvoices: 0 });
    expect(many.findings[0].title).toBe('RATECO: 7 of 7 invoices with VAT problems, 5,600,000 VAT under-declared');
    expect(many.findings[0].explanation).toContain(': VAT under-declared 5,600,000 on 7 invoices;');
  });

  it('keeps VAT under-declared and over-charged apart: an over-charge does not hide an under-declaration', async () => {
    const mixed = await runOn([{ kind: 'invoices', path: fx('vat-mismatch', 'mixed.csv') }], ['vat-mismatch']);
    expect(mixed.findings).toHaveLength(1);
    const f = mixed.findings[0];
    // 4 invoices under-declared by 100,000 each, 3 over-charged by 500,000 each: net over-charged, but 400,000 under-declared
    expect(f.evidence).toMatchObject({ vatUnderDeclared: 400_000, vatUnderDeclaredInvoices: 4, vatOverCharged: 1_500_000, vatOverChargedInvoices: 3 });
    expect(f.title).toContain('400,000 VAT under-declared');
    expect(f.explanation).toContain('VAT under-declared 400,000 on 4 invoices; VAT over-charged 1,500,000 on 3 invoices');
  });
});

describe('round-amounts and benford wording', () => {
  it('says how many invoices of standing orders were set aside', async () => {
    const r = await runOn([{ kind: 'invoices', path: fx('round-amounts', 'standing.csv') }], ['round-amounts']);
    const f = r.findings.find((x) => x.entities.some((e) => e.id === 'ROUNDCO'))!;
    expect(f.title).toBe('ROUNDCO: 30 of 40 invoices are round multiples of 1,000,000 (12 more invoices of standing orders set aside)');
    expect(f.evidence.standingOrdersSetAside).toBe(12);
  });
});

describe('cancelled-replaced counts', () => {
  it('counts an invoice and its replacement once, and the replacements apart', async () => {
    const r = await runOn([{ kind: 'invoices', path: fx('cancelled-replaced', 'pairs.csv') }], ['cancelled-replaced']);
    const f = r.findings.find((x) => x.entities.some((e) => e.id === 'DOUBLE'))!;
    expect(f.title).toBe('DOUBLE: 18 of 42 invoices cancelled, replaced or adjusted (besides 18 replacement or adjustment invoices)');
    expect(f.evidence).toMatchObject({ invoices: 42, affected: 18, byStatus: { replaced: 18, replacement: 18 } });
  });
});
