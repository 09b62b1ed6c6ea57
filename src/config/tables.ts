/**
 * Dated legal tables (DATA.md): shipped as defaults in the config, overridable by the config file, never
 * constants in detector code. Other countries' users bring their own.
 */
import { vietnamHolidays } from '../calendar/holidays.js';
import { isoToMs } from '../util/dates.js';

/** Designated-contracting (chỉ định thầu) ceilings in force from a date, in VND. */
export interface CeilingPeriod {
  from: string;
  /** recurrent purchases (no project) */
  recurrent: number;
  /** consulting within a project */
  consulting: number;
  /** goods, works, non-consulting and mixed within a project */
  goods_works: number;
  basis: string;
}

/** A period in which the reduced VAT rate is allowed. */
export interface RatePeriod {
  from: string;
  to: string;
  basis: string;
}

export interface LegalTables {
  currency: string;
  designated_ceilings: CeilingPeriod[];
  /** purchases up to this need only invoices */
  invoice_only_ceiling: number;
  /** VAT rates allowed at any date */
  vat_rates: string[];
  /** the reduced rate and where it is allowed */
  vat_reduced_rate: string;
  vat_reduced_periods: RatePeriod[];
  /** public holidays, ISO dates (Tết and fixed holidays); weekends are always counted */
  holidays: string[];
}

export const DEFAULT_TABLES: LegalTables = {
  currency: 'VND',
  designated_ceilings: [
    { from: '2014-07-01', recurrent: 100e6, consulting: 500e6, goods_works: 1e9, basis: 'Law 43/2013/QH13' },
    { from: '2024-01-01', recurrent: 100e6, consulting: 500e6, goods_works: 1e9, basis: 'Law 22/2023/QH15' },
    { from: '2025-01-15', recurrent: 300e6, consulting: 500e6, goods_works: 1e9, basis: 'Law 57/2024/QH15' },
    { from: '2025-08-04', recurrent: 500e6, consulting: 800e6, goods_works: 2e9, basis: 'Decree 214/2025/ND-CP' },
  ],
  invoice_only_ceiling: 50e6,
  vat_rates: ['0', '5', '10', 'KCT', 'KKKNT'],
  vat_reduced_rate: '8',
  vat_reduced_periods: [
    { from: '2022-02-01', to: '2022-12-31', basis: 'Decree 15/2022/ND-CP' },
    { from: '2023-07-01', to: '2023-12-31', basis: 'Decree 44/2023/ND-CP' },
    { from: '2024-01-01', to: '2024-06-30', basis: 'Decree 94/2023/ND-CP' },
    { from: '2024-07-01', to: '2024-12-31', basis: 'Decree 72/2024/ND-CP' },
    { from: '2025-01-01', to: '2025-06-30', basis: 'Decree 180/2024/ND-CP' },
    { from: '2025-07-01', to: '2026-12-31', basis: 'Decree 174/2025/ND-CP' },
  ],
  holidays: vietnamHolidays(),
};

/** The ceiling period in force on a date (epoch ms), or null before the first. */
export function ceilingOn(tables: LegalTables, ms: number): CeilingPeriod | null {
  let found: CeilingPeriod | null = null;
  for (const p of tables.designated_ceilings) if (isoToMs(p.from) <= ms) found = p;
  return found;
}

/** Validate a tables object from a config file; returns a message per problem. */
export function validateTables(t: unknown): string[] {
  const problems: string[] = [];
  if (!t || typeof t !== 'object') return ['"tables" must be an object'];
  const o = t as Record<string, unknown>;
  const known = new Set(Object.keys(DEFAULT_TABLES));
  for (const k of Object.keys(o)) if (!known.has(k)) problems.push(`unknown table "tables.${k}" (known: ${[...known].join(', ')})`);
  const dateOk = (s: unknown) => typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s);
  if (o.designated_ceilings !== undefined) {
    if (!Array.isArray(o.designated_ceilings)) problems.push('"tables.designated_ceilings" must be a list');
    else
      o.designated_ceilings.forEach((p: Record<string, unknown>, i: number) => {
        if (!dateOk(p?.from)) problems.push(`tables.designated_ceilings[${i}].from must be a date yyyy-mm-dd`);
        for (const f of ['recurrent', 'consulting', 'goods_works'])
          if (typeof p?.[f] !== 'number' || !(p[f] as number > 0)) problems.push(`tables.designated_ceilings[${i}].${f} must be a positive number`);
      });
  }
  if (o.vat_reduced_periods !== undefined) {
    if (!Array.isArray(o.vat_reduced_periods)) problems.push('"tables.vat_reduced_periods" must be a list');
    else
      o.vat_reduced_periods.forEach((p: Record<string, unknown>, i: number) => {
        if (!dateOk(p?.from) || !dateOk(p?.to)) problems.push(`tables.vat_reduced_periods[${i}] needs from and to as yyyy-mm-dd`);
      });
  }
  if (o.holidays !== undefined && (!Array.isArray(o.holidays) || !o.holidays.every(dateOk)))
    problems.push('"tables.holidays" must be a list of dates yyyy-mm-dd');
  return problems;
}
