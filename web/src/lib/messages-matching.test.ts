import { describe, expect, it } from 'vitest';
import { i18n, plainT } from '../i18n';
import { explained, messageText, type Message } from './messages';

const en = plainT(i18n.getFixedT('en'));
const fr = plainT(i18n.getFixedT('fr'));

const nested = (key: Message['key'], params: Message['params'] = {}) => ({ message: { key, params } });
/** Clauses joined by ', ', as the matcher sends them (src/core/matching/similarity.ts `joined`). */
const joined = (...parts: { message: Message }[]): { message: Message } =>
  parts.length === 1
    ? (parts[0] as { message: Message })
    : nested('matching.and', { first: parts[0] as { message: Message }, rest: joined(...parts.slice(1)) });

/** The name evidence of two spellings of a German company, one registered in France (as the server sends it). */
const name: Message = {
  key: 'matching.name',
  params: {
    a: 'Müller Maschinenbau GmbH',
    b: 'Mueller Maschinenbau',
    notes: nested('matching.notes', {
      notes: joined(
        nested('matching.note.legalFormRemoved', {
          form: 'GmbH',
          foreign: nested('matching.note.formOf', { countries: 'DE/AT/CH/LI' }),
        }),
        nested('matching.note.umlautFolded'),
        nested('matching.note.spelling', { a: 'mueller', b: 'muller' }),
      ),
    }),
    score: { decimal: 0.99, digits: 2 },
    initials: '',
  },
};

/** Initials shared by two known customers, same legal form and country: the cap clause. */
const initials: Message = {
  key: 'matching.name',
  params: {
    a: 'IBM Inc.',
    b: 'International Business Machines Inc',
    notes: nested('matching.notes', {
      notes: joined(
        nested('matching.note.legalFormRemoved', { form: 'Inc.', foreign: '' }),
        nested('matching.note.initials', { initials: 'ibm', words: 'international business machines' }),
      ),
    }),
    score: { decimal: 0.85, digits: 2 },
    initials: nested('matching.initialsOnly', {
      shared: nested('matching.sharedInitials', {
        shared: 2,
        sameFormAndCountry: nested('matching.sameFormAndCountry'),
      }),
      cap: 0.75,
    }),
  },
};

const address: Message = {
  key: 'matching.address',
  params: {
    parts: joined(
      nested('matching.part.postalCodeOnBoth', { postalCode: '10115' }),
      nested('matching.part.citiesDiffer'),
      nested('matching.part.street', { score: { decimal: 1, digits: 2 } }),
    ),
  },
};

const notNetNew: Message = {
  key: 'matching.notNetNew',
  params: {
    family: 'storage',
    orderDate: { day: '2026-02-03' },
    orderId: 'ord_1',
    since: { day: '2025-02-03' },
  },
};

describe('deal conflict evidence in the person’s language', () => {
  it('renders the English the matcher writes', () => {
    expect(messageText(en, 'en-US', name)).toBe(
      "name: 'Müller Maschinenbau GmbH' ~ 'Mueller Maschinenbau' (legal form GmbH removed (a form of DE/AT/CH/LI), umlaut folded, spelling 'mueller' ~ 'muller') 0.99",
    );
    expect(messageText(en, 'en-US', initials)).toBe(
      "name: 'IBM Inc.' ~ 'International Business Machines Inc' (legal form Inc. removed, initials 'ibm' ~ 'international business machines') 0.85 (initials only, shared by 2 known customers; same legal form and country: at most 0.75)",
    );
    expect(messageText(en, 'en-US', address)).toBe(
      'address: postal code 10115 on both, cities differ, street 1.00',
    );
    expect(messageText(en, 'en-US', notNetNew)).toBe(
      'not net-new: the customer bought storage on 2026-02-03 (order ord_1), within the look-back from 2025-02-03',
    );
  });

  it('renders it in French: notes, address parts and the initials cap', () => {
    expect(messageText(fr, 'fr-FR', name)).toBe(
      'nom : « Müller Maschinenbau GmbH » ~ « Mueller Maschinenbau » (forme juridique GmbH retirée (forme en usage en DE/AT/CH/LI), tréma (umlaut) normalisé, graphie « mueller » ~ « muller ») 0,99',
    );
    expect(messageText(fr, 'fr-FR', initials)).toBe(
      'nom : « IBM Inc. » ~ « International Business Machines Inc » (forme juridique Inc. retirée, initiales « ibm » ~ « international business machines ») 0,85 (initiales seules, partagées par 2 clients connus ; même forme juridique et même pays : au plus 0,75)',
    );
    expect(messageText(fr, 'fr-FR', address)).toBe(
      'adresse : code postal 10115 des deux côtés, villes différentes, rue 1,00',
    );
    expect(messageText(fr, 'fr-FR', notNetNew)).toBe(
      'pas un nouveau client : le client a acheté storage le 03/02/2026 (commande ord_1), dans la période d’antériorité commençant le 03/02/2025',
    );
    expect(messageText(fr, 'fr-FR', { key: 'matching.countriesDiffer', params: { a: 'FR', b: 'DE' } })).toBe(
      'pays : FR contre DE (score × 0,8)',
    );
  });

  it('falls back to the English detail for evidence stored before messages', () => {
    expect(explained(fr, 'fr-FR', { text: 'domain: acme.com on both', message: null })).toBe(
      'domain: acme.com on both',
    );
  });
});
