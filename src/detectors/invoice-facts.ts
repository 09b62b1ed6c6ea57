/**
 * What an invoice finding states about its invoices: the entity, the invoice's part of a finding key, and
 * the reference an inspector needs to pull the original from the export.
 */
import type { Dataset } from '../model/dataset.js';
import { invoiceId, type InvoiceIndex } from '../graph/invoice-index.js';
import { isoDay } from '../util/dates.js';
import type { Entity } from './types.js';
import { rowRef } from './util.js';

/** The key of a finding, made unique: the second use of one text gets "#2", and so on (such findings are alike, so which gets which does not matter). */
export function uniqueKeys(): (base: string) => string {
  const seen = new Map<string, number>();
  return (base) => {
    const k = (seen.get(base) ?? 0) + 1;
    seen.set(base, k);
    return k > 1 ? `${base}#${k}` : base;
  };
}

/** An invoice in a finding key: its id, day and amount (values, not its row). */
export function invoiceKey(data: Dataset, ix: InvoiceIndex, inv: number): string {
  return `${invoiceId(data, ix, inv)}@${isoDay(ix.date[inv])}=${Number.isNaN(ix.amount[inv]) ? '' : ix.amount[inv]}`;
}

export function invoiceEntity(data: Dataset, ix: InvoiceIndex, inv: number): Entity {
  return { type: 'invoice', id: invoiceId(data, ix, inv) };
}

/** What evidence says about one invoice, so an inspector can pull the original. */
export function invoiceRef(data: Dataset, ix: InvoiceIndex, inv: number): Record<string, unknown> {
  const t = data.invoices!;
  const r = ix.firstRow[inv];
  const out: Record<string, unknown> = { invoice: invoiceId(data, ix, inv) };
  // as the file has them, so the row can be found there
  const template = t.text('template', r);
  if (template) out.template = template;
  const series = t.text('series', r);
  if (series) out.series = series;
  out.number = t.text('number', r);
  out.date = isoDay(ix.date[inv]);
  out.amount = Number.isNaN(ix.amount[inv]) ? null : Math.round(ix.amount[inv] * 100) / 100;
  if (ix.buyer[inv] >= 0) out.buyer = data.parties.id(ix.buyer[inv]);
  const status = t.text('status', r);
  if (status) out.status = status;
  const ref = rowRef(data, 'invoices', r);
  out.file = ref.file;
  out.line = ref.line;
  if (ix.nRows[inv] > 1) out.lines = ix.nRows[inv];
  return out;
}
