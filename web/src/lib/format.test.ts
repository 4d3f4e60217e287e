import { describe, expect, it } from 'vitest';
import { formatDay, formatIso, humanize } from './format';

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

describe('formatDay', () => {
  it('keeps ISO days in English and writes day/month/year in French', () => {
    expect(formatDay('2026-12-05', 'en-US')).toBe('2026-12-05');
    expect(formatDay('2026-12-05T10:00:00Z', 'en-GB')).toBe('2026-12-05');
    expect(formatDay('2026-12-05', 'fr-FR')).toBe('05/12/2026');
    expect(formatDay('soon', 'fr-FR')).toBe('soon');
  });
});
