import { describe, expect, it } from 'vitest';
import { i18n, plainT } from '../i18n';
import { messageText, type Message } from './messages';

const en = plainT(i18n.getFixedT('en'));
const fr = plainT(i18n.getFixedT('fr'));
const plain = (s: string | null) => (s ?? '').replace(/[\u202f\u00a0]/g, ' ');

const m = (key: string, params: Message['params'] = {}): { message: Message } => ({
  message: { key, params },
});
const part = (k: string, count: number) => m(`engagement.duration.${k}`, { count });

/** A window of 3 years and 6 months (P3Y6M), and one of 1 year, 2 months and 10 days. */
const window36 = m('engagement.duration.iso', {
  years: part('years', 3),
  months: m('engagement.duration.last', { part: part('months', 6) }),
  days: '',
});
const window1y = m('engagement.duration.iso', {
  years: part('years', 1),
  months: m('engagement.duration.then', { part: part('months', 2) }),
  days: m('engagement.duration.last', { part: part('days', 10) }),
});

const exclusive = m('engagement.coverage.channelExclusive', {
  since: { day: '2026-01-15' },
  partner: 'Acme Resellers',
  lastDate: { day: '2026-02-03' },
  orderId: 'ord_9',
  through: { day: '2029-08-02' },
  window: window36,
}).message;

const values = (first: { message: Message }, second: { message: Message }) =>
  m('engagement.list.semicolon', { item: first, rest: second });
const criteria = m('engagement.list.commaLast', {
  item: m('engagement.criterion.highest-tier'),
  rest: m('engagement.criterion.capacity'),
});
const routed: Message = {
  key: 'engagement.routing.offeredBelowThreshold',
  params: {
    partner: 'Acme Resellers',
    amount: { money: { amountMinor: 1_250_000, currency: 'EUR' } },
    threshold: { money: { amountMinor: 5_000_000, currency: 'EUR' } },
    customer: 'Orchid Analytics',
    coverage: m('engagement.coverage.openNone', { window: window1y, asOf: { day: '2026-03-01' } }),
    why: m('engagement.routing.ranksFirst', {
      partner: 'Acme Resellers',
      criteria,
      values: values(
        m('engagement.value.tier', { tier: 'Gold', rank: 3 }),
        m('engagement.value.openOffers', {
          count: 1,
          limit: m('engagement.value.limit', { limit: 5 }),
        }),
      ),
    }),
  },
};

const why: Message = {
  key: 'engagement.offer.incumbent',
  params: {
    customer: 'Orchid Analytics',
    facts: values(
      m('engagement.value.soldTo', { customer: 'Orchid Analytics', day: { day: '2025-11-20' } }),
      m('engagement.value.accepted', { accepted: 2, count: 3, rate: 60 }),
    ),
  },
};

describe('rules-of-engagement sentences in the person’s language', () => {
  it('renders a coverage sentence in English as the API writes it', () => {
    expect(messageText(en, 'en-US', exclusive)).toBe(
      'channel-exclusive since 2026-01-15: last bought through Acme Resellers on 2026-02-03 (order ord_9); channel-only through 2029-08-02 (window P3Y6M)',
    );
  });

  it('renders it in French, the window in words', () => {
    expect(plain(messageText(fr, 'fr-FR', exclusive))).toBe(
      'exclusif au réseau depuis le 15/01/2026 : dernier achat par Acme Resellers le 03/02/2026 (commande ord_9) ; réservé au réseau jusqu’au 02/08/2029 (fenêtre de 3 ans et 6 mois)',
    );
  });

  it('renders a routing decision in French: coverage, criteria and values nested', () => {
    expect(plain(messageText(fr, 'fr-FR', routed))).toBe(
      'proposée à Acme Resellers : 12 500,00 € est sous le seuil d’orientation de 50 000,00 € et Orchid Analytics est ' +
        'ouvert : aucun achat par un partenaire dans la fenêtre de 1 an, 2 mois et 10 jours précédant le 01/03/2026. ' +
        'Acme Resellers arrive en tête sur niveau le plus élevé et capacité : Gold (rang 3) ; 1 offre ouverte (limite 5)',
    );
  });

  it('renders an offer’s “why you” in French', () => {
    expect(plain(messageText(fr, 'fr-FR', why))).toBe(
      'Orchid Analytics a acheté par votre intermédiaire dans la fenêtre du programme : le fournisseur ne lui vend pas en direct. ' +
        'a vendu à Orchid Analytics par le réseau, dernière fois le 20/11/2025 ; a accepté 2 des 3 offres traitées (60 % avec l’a priori)',
    );
  });
});
