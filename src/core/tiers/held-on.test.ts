import { describe, expect, it } from 'vitest';
import { tierHeldOn } from './held-on.js';

describe('tierHeldOn', () => {
  const records = [
    { tierCode: 'gold', validFrom: '2017-02-01', validTo: '2017-05-15' },
    { tierCode: 'platinum', validFrom: '2017-05-15', validTo: null },
    { tierCode: 'titanium-black', validFrom: '2017-03-01', validTo: '2017-09-01' },
  ];
  it('reads the record in force on the day, validTo exclusive, an open record open', () => {
    expect(tierHeldOn(records, '2017-01-31', ['gold', 'platinum'])).toBeNull();
    expect(tierHeldOn(records, '2017-02-01', ['gold', 'platinum'])).toBe('gold');
    expect(tierHeldOn(records, '2017-05-14', ['gold', 'platinum'])).toBe('gold');
    expect(tierHeldOn(records, '2017-05-15', ['gold', 'platinum'])).toBe('platinum');
    expect(tierHeldOn(records, '2030-01-01', ['gold', 'platinum'])).toBe('platinum');
  });
  it('reads only the given tier codes (a status is not a tier), and the latest start first', () => {
    expect(tierHeldOn(records, '2017-04-01', ['gold', 'platinum'])).toBe('gold');
    expect(tierHeldOn(records, '2017-04-01')).toBe('titanium-black');
    expect(tierHeldOn([], '2017-04-01')).toBeNull();
  });
});
