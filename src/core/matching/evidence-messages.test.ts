import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { day, message, renderEnglish } from '../messages/message.js';
import { CandidateIndex } from './candidate-index.js';
import { compareParties, comparePrepared, DEFAULT_WEIGHTS, prepareParty } from './similarity.js';
import type { Evidence, PartyInput } from './similarity.js';

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261203) });

/** Every evidence item carries a message whose English text is its detail, byte for byte. */
function expectMessagesAreDetails(evidence: readonly Evidence[]) {
  for (const e of evidence) {
    expect(e.detailMessage, e.detail).toBeDefined();
    if (e.detailMessage) expect(renderEnglish(e.detailMessage)).toBe(e.detail);
  }
}

const party = (p: PartyInput | string): PartyInput => (typeof p === 'string' ? { name: p } : p);

describe('evidence sentences as messages', () => {
  it.each<[PartyInput | string, PartyInput | string]>([
    ['Société Générale S.A.', 'Societe Generale'],
    ['The Procter & Gamble Company', 'Procter and Gamble Co.'],
    ['Аэрофлот', 'Aeroflot PJSC'],
    ['Müller Maschinenbau GmbH', 'Mueller Maschinenbau'],
    ['PricewaterhouseCoopers LLP', 'Price Waterhouse Coopers'],
    ['Tata Consultancy Services Limited', 'Tata Consultancy Svcs Ltd'],
    ['Mitsubishi Heavy Industries, Ltd.', 'Mitsubishi Heavy Industires'],
    ['International Business Machines Corp.', 'IBM'],
    ['J Smith Consulting', 'John Smith Consulting'],
    ['ソニー株式会社', 'ソニー'],
    ['Price Waterhouse', 'Pricewaterhouse'],
    [
      { name: 'Acme GmbH', country: 'FR', domain: 'acme.fr' },
      { name: 'Acme SARL', country: 'DE', domain: 'acme.de' },
    ],
    [
      { name: 'Acme Logistics', country: 'US', domain: 'https://www.acme.com/' },
      { name: 'ACME Logistics Inc', country: 'us', domain: 'acme.com' },
    ],
    [
      {
        name: 'Kelbrix Robotics',
        country: 'DE',
        postalCode: '10115',
        city: 'Berlin',
        addressLine: 'Invalidenstraße 117',
      },
      {
        name: 'Kelbrix Robotics GmbH',
        country: 'DE',
        postalCode: '10117',
        city: 'Berlin Mitte',
        addressLine: 'Invalidenstr. 117',
      },
    ],
    [
      {
        name: 'Zanovar AB',
        country: 'SE',
        postalCode: '111 22',
        city: 'Stockholm',
        addressLine: 'Drottninggatan 5',
      },
      {
        name: 'Zanovar',
        country: 'SE',
        postalCode: '11122',
        city: 'stockholm',
        addressLine: 'Drottninggatan 5',
      },
    ],
  ])('%j ~ %j', (a, b) => {
    const c = compareParties(party(a), party(b));
    expect(c.evidence.length).toBeGreaterThan(0);
    expectMessagesAreDetails(c.evidence);
  });

  it('says which notes the names had, each once, as nested messages', () => {
    const c = compareParties(
      { name: 'Müller Maschinenbau GmbH', country: 'FR' },
      { name: 'Mueller Maschinenbau' },
    );
    const name = c.evidence[0];
    expect(name?.detail).toContain('legal form GmbH removed (a form of');
    expect(name?.detailMessage?.key).toBe('matching.name');
    expect(JSON.stringify(name?.detailMessage)).toContain('matching.note.legalFormRemoved');
    expect(JSON.stringify(name?.detailMessage)).toContain('matching.note.formOf');
    expectMessagesAreDetails(c.evidence);
  });

  it('explains initials shared by several known customers (the cap clause)', () => {
    const ix = new CandidateIndex();
    ix.add({ id: 'c1', kind: 'customer', party: { name: 'International Business Machines', country: 'US' } });
    ix.add({ id: 'c2', kind: 'customer', party: { name: 'Integrated Brewing Methods', country: 'US' } });
    ix.add({ id: 'c3', kind: 'customer', party: { name: 'IBM Inc', country: 'US' } });
    const found = ix.search({ name: 'IBM', country: 'US' }, { minScore: 0 });
    const all = found.flatMap((f) => f.evidence);
    expect(all.some((e) => e.detail.includes('initials only'))).toBe(true);
    expectMessagesAreDetails(all);
    const direct = compareParties(
      { name: 'IBM Inc.', country: 'US' },
      { name: 'International Business Machines Inc', country: 'US' },
      ix,
    );
    expect(direct.evidence[0]?.detail).toMatch(
      /initials only, shared by \d+ known customers; same legal form and country: at most 0\.75\)$/,
    );
    expectMessagesAreDetails(direct.evidence);
  });

  it('builds no messages when not explaining', () => {
    const c = comparePrepared(
      prepareParty({ name: 'Acme GmbH', country: 'DE', postalCode: '10115', city: 'Berlin' }),
      prepareParty({ name: 'Acme', country: 'DE', postalCode: '10115', city: 'Berlin' }),
      DEFAULT_WEIGHTS,
      false,
    );
    expect(c.evidence).toEqual([]);
    expect(prepareParty({ name: 'Acme GmbH' }).noteMessages).toEqual([]);
  });

  it('a note prepared without its message is shown as its text', () => {
    const c = comparePrepared(
      prepareParty({ name: 'Acme GmbH', country: 'DE' }),
      prepareParty({ name: 'Acme', country: 'DE' }, true),
      DEFAULT_WEIGHTS,
      true,
    );
    expect(JSON.stringify(c.evidence[0]?.detailMessage)).toContain('matching.note.text');
    expectMessagesAreDetails(c.evidence);
  });

  it('the English text of every evidence message is its detail (generated parties)', () => {
    const word = fc.constantFrom(
      'The',
      'Zanovar',
      'Zanovr',
      'Kelbrix',
      'Müller',
      'Mueller',
      'Société',
      'Intl',
      'International',
      'Business',
      'Machines',
      'IBM',
      'Group',
      'GmbH',
      'S.A.R.L.',
      'Ltd',
      'J',
      'John',
      'Pricewaterhouse',
      'Price',
      'Waterhouse',
      '&',
      'Svcs',
    );
    const name = fc.array(word, { minLength: 1, maxLength: 4 }).map((w) => w.join(' '));
    const p = fc.record({
      name,
      country: fc.constantFrom(null, 'DE', 'FR', 'US'),
      domain: fc.constantFrom(null, 'zanovar.com', 'kelbrix.de'),
      postalCode: fc.constantFrom(null, '10115', '75001'),
      city: fc.constantFrom(null, 'Berlin', 'Paris'),
      addressLine: fc.constantFrom(null, 'Rue de Rivoli 1', '1 rue de Rivoli', 'Hauptstr. 5'),
    });
    fc.assert(
      fc.property(p, p, (a, b) => {
        expectMessagesAreDetails(compareParties(a, b).evidence);
      }),
      { numRuns: 400 },
    );
  });
});

describe('evidence the registration flow adds', () => {
  it('reads as it always has in English', () => {
    const n = { family: 'storage', orderDate: '2026-02-03', orderId: 'ord_1', since: '2025-02-03' };
    expect(
      renderEnglish(
        message('matching.notNetNew', { ...n, orderDate: day(n.orderDate), since: day(n.since) }),
      ),
    ).toBe(
      `not net-new: the customer bought ${n.family} on ${n.orderDate} (order ${n.orderId}), within the look-back from ${n.since}`,
    );
    const h = { claimKey: 'cus_1', family: 'storage', region: 'EMEA' };
    expect(renderEnglish(message('matching.holdsClaim', h))).toBe(
      `holds the claim on customer ${h.claimKey} (${h.family}, ${h.region})`,
    );
  });
});
