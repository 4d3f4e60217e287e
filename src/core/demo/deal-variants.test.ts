import { describe, expect, it } from 'vitest';
import { compareParties } from '../matching/index.js';
import { seededRandom } from '../shared/random.js';
import { REGISTRATION_VARIANT_KINDS, registrationVariant } from './deal-variants.js';
import { customerName } from './names.js';

const rng = () => seededRandom(11);

describe('registrationVariant', () => {
  it('writes a legal form out in full, or adds one of the country when there is none', () => {
    const c = { domain: null, country: 'DE' };
    expect(registrationVariant({ ...c, name: 'Weber & Rossi GmbH' }, 'legal-form', rng()).name).toBe(
      'Weber & Rossi Gesellschaft mit beschränkter Haftung',
    );
    expect(
      registrationVariant({ ...c, name: 'Umber Media SA', country: 'FR' }, 'legal-form', rng()).name,
    ).toBe('Umber Media Société anonyme');
    expect(registrationVariant({ ...c, name: 'Hamburg Shipping' }, 'legal-form', rng()).name).toMatch(
      /^Hamburg Shipping (GmbH|AG|GmbH & Co\. KG)$/,
    );
  });

  it('transliterates umlauts and drops accents, or adds an accent to an ASCII name', () => {
    const c = { domain: null, country: 'DE' };
    expect(registrationVariant({ ...c, name: 'Müller Maschinenbau GmbH' }, 'accent', rng()).name).toBe(
      'Mueller Maschinenbau GmbH',
    );
    expect(registrationVariant({ ...c, name: 'Société Générale SA' }, 'accent', rng()).name).toBe(
      'Societe Generale SA',
    );
    const accented = registrationVariant({ ...c, name: 'Fernhill Solutions' }, 'accent', rng()).name;
    expect(accented).not.toBe('Fernhill Solutions');
    expect(accented.normalize('NFKD').replace(/[\u0300-\u036f]/g, '')).toBe('Fernhill Solutions');
  });

  it('gives another domain of the same company, the name unchanged', () => {
    const v = registrationVariant(
      { name: 'Harbor Logistics Inc.', domain: 'harbor-logistics.com', country: 'US' },
      'domain',
      rng(),
    );
    expect(v.name).toBe('Harbor Logistics Inc.');
    expect(v.domain).not.toBe('harbor-logistics.com');
    expect(v.domain).toMatch(/^harbor-logistics/);
  });

  it('is deterministic for a seed', () => {
    for (const kind of REGISTRATION_VARIANT_KINDS) {
      const c = { name: 'Northstar Resorts International Ltd', domain: 'northstar.example', country: 'GB' };
      expect(registrationVariant(c, kind, rng())).toEqual(registrationVariant(c, kind, rng()));
    }
  });

  it('makes variants the matcher finds (typos aside, which may go to the reviewer)', () => {
    const r = seededRandom(5);
    const countries = ['US', 'GB', 'DE', 'FR', 'NL', 'IT', 'ES', 'SE', 'JP', 'BR'];
    let typos = 0;
    let typoMisses = 0;
    for (let i = 0; i < 500; i++) {
      const country = r.pick(countries);
      const { name } = customerName(r, 'commercial', country);
      const kind = REGISTRATION_VARIANT_KINDS[
        i % REGISTRATION_VARIANT_KINDS.length
      ] as (typeof REGISTRATION_VARIANT_KINDS)[number];
      const v = registrationVariant({ name, domain: null, country }, kind, r);
      const m = compareParties({ name, country }, { name: v.name, country });
      if (kind === 'typo') {
        typos++;
        if (m.decision === 'none') typoMisses++;
      } else expect(m.decision, `${kind}: ${name} -> ${v.name}`).toBe('match');
    }
    expect(typoMisses / typos).toBeLessThan(0.1);
  });
});
