import { describe, expect, it } from 'vitest';
import { formatProgramFileError, parseProgramDocument } from './parse.js';
import type { AgreementDefinition } from './types.js';

/** A small valid agreement; tests break one line of it. */
const AGREEMENT = `apiVersion: trellis/v1
kind: Agreement
code: a-b-2021
name: A and B
parties:
  - { vendor: a, name: A, role: distributor, programs: [a-partners] }
  - { vendor: b, name: B, role: supplier, programs: [b-partners] }
signed: 2021-11-01
effective: { from: 2021-11-01, to: 2026-10-31 }
term: P5Y
termination:
  noticeDays: 60
  changeOfControl: { allowsTermination: true }
  events:
    - { date: 2023-11-26, by: a, reason: change-of-control, effective: 2024-01-25 }
provisions:
  benefitContinuity: { enabled: true, programs: [a-partners, b-partners] }
  crossCredit:
    - { from: a, to: b, share: 100% }
  crossVendorSolutionBonus:
    points: 1%
    requires:
      - { vendor: a, families: [servers, storage] }
      - { vendor: b, families: [software] }
    funding:
      - { vendor: a, basisPoints: 6000 }
      - { vendor: b, basisPoints: 4000 }
  sharedPartners: { scope: enrolled-in-all }
`;

const errorsOf = (text: string) => {
  const r = parseProgramDocument(text, 'a.yaml');
  return r.ok ? [] : r.errors.map(formatProgramFileError);
};
const agreement = (text: string): AgreementDefinition => {
  const r = parseProgramDocument(text, 'a.yaml');
  if (!r.ok || r.document.kind !== 'Agreement') throw new Error(JSON.stringify(r));
  return r.document;
};

describe('the Agreement format', () => {
  it('parses the terms, with the defaults of the new keys', () => {
    const a = agreement(AGREEMENT);
    expect(a.termination.convenience).toEqual({ allowsTermination: false, description: null });
    expect(a.provisions.crossVendorSolutionBonus).toEqual({
      points: 10_000,
      requires: [
        { vendor: 'a', families: ['servers', 'storage'] },
        { vendor: 'b', families: ['software'] },
      ],
      window: { months: 0, days: 90 },
      funding: [
        { vendor: 'a', basisPoints: 6000 },
        { vendor: 'b', basisPoints: 4000 },
      ],
    });
  });

  it('reads the legacy paidBy as the whole funding by one party', () => {
    const a = agreement(
      AGREEMENT.replace(
        '    funding:\n      - { vendor: a, basisPoints: 6000 }\n      - { vendor: b, basisPoints: 4000 }\n',
        '    paidBy: a\n',
      ),
    );
    expect(a.provisions.crossVendorSolutionBonus?.funding).toEqual([{ vendor: 'a', basisPoints: 10000 }]);
  });

  it.each([
    [
      'a split not summing to 10000',
      ['basisPoints: 4000', 'basisPoints: 3999'],
      'a.yaml:26:7: provisions.crossVendorSolutionBonus.funding: the funding split sums to 9999 basis points; it must sum to exactly 10000',
    ],
    [
      'a funder that is not a party',
      ['{ vendor: b, basisPoints: 4000 }', '{ vendor: c, basisPoints: 4000 }'],
      'provisions.crossVendorSolutionBonus.funding[1].vendor: "c" is not a party; expected one of a, b',
    ],
    [
      'a party listed twice',
      ['{ vendor: b, name: B,', '{ vendor: a, name: B,'],
      'parties[1].vendor: duplicate party "a" (first used at index 0)',
    ],
    [
      'a termination effective on the wrong day',
      ['effective: 2024-01-25 }', 'effective: 2024-03-25 }'],
      "termination.events[0].effective: takes effect 2024-03-25; notice on 2023-11-26 plus 60 days' notice is 2024-01-25",
    ],
    [
      'a termination for convenience the agreement does not allow',
      ['reason: change-of-control', 'reason: convenience'],
      'termination.events[0].reason: terminated for convenience but termination.convenience.allowsTermination is false',
    ],
    [
      'dates out of order',
      ['signed: 2021-11-01', 'signed: 2021-12-01'],
      'signed: signed 2021-12-01 is after the agreement takes effect (2021-11-01)',
    ],
    ['a negative share', ['basisPoints: 4000', 'basisPoints: -1'], 'basisPoints: must not be negative'],
  ])('refuses %s', (_name, [from, to], expected) => {
    expect(AGREEMENT).toContain(from);
    const errors = errorsOf(AGREEMENT.replace(from ?? '', to ?? ''));
    expect(errors.join('\n')).toContain(expected);
  });

  it('refuses funding and paidBy together', () => {
    expect(
      errorsOf(AGREEMENT.replace('    funding:\n', '    paidBy: a\n    funding:\n')).join('\n'),
    ).toContain('give either funding or the legacy paidBy, not both');
  });
});
