import { describe, expect, it } from 'vitest';
import { validateProductInput } from './product-input.js';

const base = {
  sku: 'VS-ENT-1Y',
  name: 'vSphere Enterprise Plus, 1-Year Subscription',
  family: 'software',
  listPriceMinor: 450_000,
  currency: 'USD',
};

describe('validateProductInput', () => {
  it('accepts a software product with a licensing model and a solution area', () => {
    const r = validateProductInput(
      { ...base, licensing: 'subscription', solution: 'cloud-infrastructure' },
      'USD',
    );
    expect(r).toEqual({
      ok: true,
      product: { ...base, licensing: 'subscription', solution: 'cloud-infrastructure' },
    });
  });

  it('accepts hardware without licensing (null)', () => {
    const r = validateProductInput({ ...base, family: 'servers', licensing: null }, 'USD');
    expect(r.ok && r.product.licensing).toBe(null);
  });

  it.each([
    [{ licensing: 'lease' }, '/licensing', 'licensing must be one of perpetual, term, subscription, saas'],
    [{ family: 'storage', licensing: 'saas' }, '/licensing', 'a storage product carries no licensing model'],
    [{ solution: 'Cloud Infra' }, '/solution', 'solution must be a code'],
    [{ family: 'phones' }, '/family', 'family must be one of'],
    [{ listPriceMinor: 1.5 }, '/listPriceMinor', 'whole number'],
    [{ listPriceMinor: 1e13 }, '/listPriceMinor', 'above the limit'],
    [{ currency: 'EUR' }, '/currency', "vendor's currency USD"],
    [{ sku: ' ' }, '/sku', 'sku is required'],
  ])('refuses %j at %s', (patch, location, message) => {
    const r = validateProductInput({ ...base, ...patch }, 'USD');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.map((e) => e.location)).toEqual([location]);
      expect(r.errors[0]?.message).toContain(message);
    }
  });

  it('names every problem at once', () => {
    const r = validateProductInput(
      { sku: '', name: '', family: 'x', listPriceMinor: -1, currency: 'X' },
      'USD',
    );
    expect(r.ok ? [] : r.errors.map((e) => e.location)).toEqual([
      '/sku',
      '/name',
      '/family',
      '/listPriceMinor',
      '/currency',
    ]);
  });
});
