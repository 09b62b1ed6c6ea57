/**
 * Numbers and counts as the findings and the reports write them: amounts with thousands separators,
 * percentages, plurals, rounding for JSON. Shared by the detectors (titles, explanations, evidence), the
 * pipeline's warnings, the reporters and the CLI.
 */

const GROUP = /\B(?=(\d{3})+(?!\d))/g;

/** 1234567.5 → "1,234,567.5"; whole numbers without decimals. */
export function fmtAmount(x: number | null | undefined): string {
  if (x == null || Number.isNaN(x)) return '—';
  const r = Math.round(x * 100) / 100;
  const [int, dec] = Math.abs(r).toString().split('.');
  return `${r < 0 ? '-' : ''}${int.replace(GROUP, ',')}${dec ? `.${dec.padEnd(2, '0')}` : ''}`;
}

/** "1 day", "3 days", "1,204 invoices" */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** "12.5%"; a share that is not zero but would print as 0 gets the digits it needs (0.003%, up to 4). */
export function fmtPct(x: number, digits = 1): string {
  let d = digits;
  while (x !== 0 && Number.isFinite(x) && d < 4 && Math.abs(x * 100) < 0.5 * 10 ** -d) d++;
  return `${(x * 100).toFixed(d)}%`;
}

/**
 * A probability as a sentence states it: 0.034 → "3.4%", 0.0019 → "0.19%", 8e-7 → "1 in 1.3 million",
 * 1.1e-10 → "1 in 9.1 billion", anything under 1e-12 (or an underflow to 0) → "under 1 in a trillion".
 * Evidence keeps the number; "8.0e-7" is not how an inspector reads odds.
 */
export function fmtChance(x: number): string {
  if (Number.isNaN(x)) return '—';
  if (x >= 0.001) return `${Number((x * 100).toPrecision(2))}%`;
  if (x < 1e-12) return 'under 1 in a trillion';
  const n = Number((1 / x).toPrecision(2));
  if (n >= 1e9) return `1 in ${Number((n / 1e9).toPrecision(2))} billion`;
  if (n >= 1e6) return `1 in ${Number((n / 1e6).toPrecision(2))} million`;
  return `1 in ${n.toLocaleString('en-US')}`;
}

export function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
