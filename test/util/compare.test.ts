import { describe, expect, it } from 'vitest';
import { compareText } from '../../src/util/compare.js';

describe('compareText', () => {
  it('orders by code unit, whatever the locale', () => {
    expect(['b', 'a', 'B', 'á', '10', '9'].sort(compareText)).toEqual(['10', '9', 'B', 'a', 'b', 'á']);
    expect(compareText('x', 'x')).toBe(0);
    expect(compareText('a', 'b')).toBe(-1);
    expect(compareText('b', 'a')).toBe(1);
  });
});
