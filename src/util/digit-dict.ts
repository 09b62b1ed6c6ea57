/**
 * A dictionary whose strings are made when read: ids such as invoice ids `HD000000123` are kept as
 * numbers (Interner digitKeys: 12 bytes an id) instead of strings (about 48 bytes an id with its array
 * slot; 5 M invoice ids held ~240 MB).
 *
 * It reads as a `string[]` (index, length, iteration, map…), so the code that reads dictionaries stays as
 * it is; each read makes the string again. Meant for columns whose strings are read rarely (an invoice id
 * named in evidence), not for columns scanned row by row. Read only.
 */
import { digitString, type DigitKeys } from './interner.js';

const keysOf = new WeakMap<object, DigitKeys>();

/** The keys behind an on-demand dictionary, or undefined for an ordinary array. */
export function digitKeysOf(dict: readonly string[]): DigitKeys | undefined {
  return keysOf.get(dict);
}

export function digitDict(k: DigitKeys): string[] {
  const n = k.keys.length / 3;
  const index = (prop: string | symbol): number => {
    if (typeof prop !== 'string' || prop.length === 0) return -1;
    const c = prop.charCodeAt(0);
    if (c < 48 || c > 57) return -1;
    const i = Number(prop);
    return Number.isInteger(i) && i < n && String(i) === prop ? i : -1;
  };
  const dict = new Proxy<string[]>([], {
    get(target, prop, receiver) {
      const i = index(prop);
      if (i >= 0) return digitString(k, i);
      if (prop === 'length') return n;
      return Reflect.get(target, prop, receiver);
    },
    has(target, prop) {
      return index(prop) >= 0 || Reflect.has(target, prop);
    },
    getOwnPropertyDescriptor(target, prop) {
      const i = index(prop);
      if (i >= 0) return { value: digitString(k, i), writable: false, enumerable: true, configurable: true };
      if (prop === 'length') return { value: n, writable: true, enumerable: false, configurable: false };
      return Reflect.getOwnPropertyDescriptor(target, prop);
    },
    set() {
      return false;
    },
    defineProperty() {
      return false;
    },
    deleteProperty() {
      return false;
    },
  });
  keysOf.set(dict, k);
  return dict;
}
