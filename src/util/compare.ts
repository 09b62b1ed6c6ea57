/** Strings in code-unit order, the same on every machine and locale (unlike localeCompare): -1, 0 or 1. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
