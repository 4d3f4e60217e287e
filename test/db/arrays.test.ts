import { describe, expect, it } from 'vitest';
import { pushAll } from '../../src/db/arrays.js';

describe('pushAll', () => {
  it('appends in order, and returns the target', () => {
    const target = [1, 2];
    expect(pushAll(target, [3, 4])).toBe(target);
    expect(target).toEqual([1, 2, 3, 4]);
    expect(pushAll([], [])).toEqual([]);
  });

  it('appends more items than a spread into push can take', () => {
    const many = Array.from({ length: 2_000_000 }, (_, i) => i);
    expect(() => [].push(...(many as never[]))).toThrow(RangeError);
    const out = pushAll([-1], many);
    expect(out.length).toBe(2_000_001);
    expect(out[2_000_000]).toBe(1_999_999);
  });
});
