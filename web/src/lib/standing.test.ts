import { describe, expect, it } from 'vitest';
import { i18n, plainT } from '../i18n';
import { formatMeasureValue, percentOf, requirementText } from './standing';

describe('requirementText', () => {
  const en = plainT(i18n.getFixedT('en'));
  const fr = plainT(i18n.getFixedT('fr'));

  it('names measures and the kind and family of certification counts, in English and French', () => {
    expect(requirementText({ measure: 'revenue', kind: null, family: null }, en)).toBe('Revenue');
    expect(requirementText({ measure: 'servicesRevenue', kind: null, family: null }, en)).toBe(
      'Services revenue',
    );
    expect(requirementText({ measure: 'certifiedPeople', kind: 'sales', family: null }, en)).toBe(
      'Certified people (sales, any family)',
    );
    expect(requirementText({ measure: 'companyCertifications', kind: null, family: 'storage' }, en)).toBe(
      'Company certifications (any kind, storage)',
    );
    expect(requirementText({ measure: 'companyCertifications', kind: null, family: null }, en)).toBe(
      'Company certifications',
    );
    expect(requirementText({ measure: 'revenue', kind: null, family: null }, fr)).toBe('Chiffre d’affaires');
    expect(requirementText({ measure: 'unknownMeasure', kind: null, family: null }, fr)).toBe(
      'unknownMeasure',
    );
  });
});

describe('formatMeasureValue', () => {
  it('formats money measures from minor units and counts as numbers', () => {
    expect(formatMeasureValue('revenue', 300000000, 'USD')).toBe('$3,000,000');
    expect(formatMeasureValue('servicesRevenue', 7750050, 'USD')).toBe('$77,500.50');
    expect(formatMeasureValue('credits', 12500, 'USD')).toBe('12,500');
    expect(formatMeasureValue('certifiedPeople', 2, 'USD')).toBe('2');
  });
});

describe('percentOf', () => {
  it('is whole percent, 100 only when met', () => {
    expect(percentOf(7750000, 50000000)).toBe(15);
    expect(percentOf(0, 2)).toBe(0);
    expect(percentOf(2, 2)).toBe(100);
    expect(percentOf(3, 2)).toBe(100);
    expect(percentOf(1999, 2000)).toBe(99);
    expect(percentOf(5, 0)).toBe(100);
  });
});
