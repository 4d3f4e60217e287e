import { describe, expect, it } from 'vitest';
import { formatIso, humanize, plural } from './format';

describe('formatIso', () => {
  it('keeps ISO dates and trims timestamps', () => {
    expect(formatIso('2024-05-01')).toBe('2024-05-01');
    expect(formatIso('2024-05-01T10:20:30.123Z')).toBe('2024-05-01T10:20:30Z');
    expect(formatIso('2024-05-01T10:20:30.123+00:00')).toBe('2024-05-01T10:20:30Z');
    expect(formatIso('2024-05-01 10:20:30')).toBe('2024-05-01T10:20:30');
    expect(formatIso('2024-05-01T10:20:30Z', true)).toBe('2024-05-01');
    expect(formatIso('not a date')).toBe('not a date');
  });
});

describe('humanize', () => {
  it('turns codes into labels', () => {
    expect(humanize('service-provider')).toBe('Service provider');
    expect(humanize('servicesRevenue')).toBe('Services revenue');
    expect(humanize('na')).toBe('Na');
  });
});

describe('plural', () => {
  it('counts', () => {
    expect(plural(1, 'order')).toBe('1 order');
    expect(plural(1200, 'order')).toBe('1,200 orders');
    expect(plural(2, 'person', 'people')).toBe('2 people');
  });
});
