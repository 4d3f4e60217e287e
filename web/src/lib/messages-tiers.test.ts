import { describe, expect, it } from 'vitest';
import { i18n, plainT } from '../i18n';
import { messageText, type Message } from './messages';

const fr = plainT(i18n.getFixedT('fr'));
const en = plainT(i18n.getFixedT('en'));
/** French text with no-break spaces read as plain ones. */
const french = (m: Message) => (messageText(fr, 'fr-FR', m) ?? '').replace(/[\u202f\u00a0]/g, ' ');
const usd = (amountMinor: number) => ({ money: { amountMinor, currency: 'USD' } });

describe('tier, transfer and agreement sentences in French', () => {
  it('says whether a partner may deliver the services, with the plural of people', () => {
    const may = (count: number): Message => ({
      key: 'tiers.mayDeliver',
      params: { count, families: { list: ['services'] } },
    });
    expect(french(may(1))).toBe(
      '1 personne détient une certification services active en services : le partenaire peut réaliser les services lui-même',
    );
    expect(french(may(3))).toBe(
      '3 personnes détiennent une certification services active en services : le partenaire peut réaliser les services lui-même',
    );
    expect(french({ key: 'tiers.mustResell', params: { families: { list: ['services', 'storage'] } } })).toBe(
      'personne ne détient de certification services active en services, storage : le partenaire doit revendre les services du fournisseur',
    );
    expect(messageText(en, 'en-US', may(3))).toBe(
      '3 person(s) hold an active services certification in services: may deliver the services itself',
    );
  });

  it('says why a partner holds its tier, with nested clauses and French days', () => {
    const held: Message = {
      key: 'tiers.hold',
      params: {
        target: 'gold',
        current: 'platinum',
        why: {
          message: {
            key: 'tiers.holdProtected',
            params: {
              protection: {
                message: {
                  key: 'tiers.keptUntil',
                  params: { kept: { day: '2020-02-01' }, since: { day: '2019-02-01' } },
                },
              },
              first: { day: '2020-02-01' },
            },
          },
        },
      },
    };
    expect(french(held)).toBe(
      'évalué gold, en dessous de platinum : un niveau est conservé au moins jusqu’au 01/02/2020 (détenu depuis le 01/02/2019) ; pas de rétrogradation avant le 01/02/2020',
    );
    expect(french({ key: 'tiers.upgrade', params: { target: 'titanium', current: 'gold' } })).toBe(
      'remplit les conditions de titanium (au-dessus de gold) ; les promotions s’appliquent immédiatement',
    );
  });

  it('explains what a partner bought through another vendor’s channel', () => {
    const m: Message = {
      key: 'tiers.crossCredit',
      params: {
        amount: usd(1_234_500),
        distributor: 'Dell Technologies',
        vendor: 'dell',
        share: { percent: 500_000 },
        agreement: 'Cross-vendor Framework',
        credited: usd(617_250),
      },
    };
    expect(french(m)).toBe(
      '12 345,00 $US achetés via Dell Technologies (canal de dell) comptent pour 50 % au titre de Cross-vendor Framework : 6 172,50 $US crédités.',
    );
  });

  it('lists a transfer’s differences', () => {
    const tier: Message = {
      key: 'transfers.tier',
      params: { held: 'silver', day: { day: '2024-03-25' }, promised: 'gold' },
    };
    expect(french(tier)).toBe('détient silver le 25/03/2024, alors que gold était promis');
    const none: Message = {
      key: 'transfers.noTier',
      params: { day: { day: '2024-03-25' }, promised: 'gold' },
    };
    expect(french(none)).toBe('ne détient aucun niveau le 25/03/2024, alors que gold était promis');
    const rate: Message = {
      key: 'transfers.rate',
      params: { family: 'storage', target: { percent: 25_000 }, source: { percent: 30_000 } },
    };
    expect(french(rate)).toBe('storage : gagne 2,5 % dans la cible, 3 % dans la source');
    const deal: Message = {
      key: 'transfers.notCarried.dealFamilies',
      params: {
        what: {
          message: {
            key: 'transfers.notCarried.registration',
            params: {
              id: 'deal_4',
              customer: 'Acme',
              status: 'approved',
              protected: {
                message: {
                  key: 'transfers.notCarried.protectedUntil',
                  params: { day: { day: '2022-01-31' } },
                },
              },
            },
          },
        },
        target: 'vmware',
        source: 'dell',
        families: { list: ['storage'] },
      },
    };
    expect(french(deal)).toBe(
      'l’enregistrement deal_4 (Acme, approved, protégé jusqu’au 31/01/2022) : vmware ne vend pas storage ; non repris (il garde sa protection chez dell)',
    );
  });

  it('explains a funder’s share of a solution reward, and a notice of termination', () => {
    const reward: Message = {
      key: 'agreements.solutionReward',
      params: {
        agreement: 'CFA',
        code: 'cfa',
        points: { percent: 10_000 },
        completedOn: { day: '2022-02-01' },
        yours: {
          message: {
            key: 'agreements.yours',
            params: {
              count: 2,
              families: { list: ['hardware', 'storage'] },
              lines: { list: ['oln_a', 'oln_b'] },
              amount: usd(350),
            },
          },
        },
        window: {
          message: {
            key: 'agreements.monthsAndDays',
            params: {
              months: { message: { key: 'agreements.months', params: { count: 1 } } },
              days: { message: { key: 'agreements.days', params: { count: 10 } } },
            },
          },
        },
        funder: 'dell',
        shareWhole: 33,
        shareCents: '33',
        amount: usd(100),
      },
    };
    expect(french(reward)).toBe(
      'Récompense de solution inter-fournisseurs au titre de CFA (cfa) : 1 % sur une solution complétée le 01/02/2022 ' +
        'à partir de vos lignes oln_a, oln_b (hardware, storage ; 3,50 $US) et d’un achat éligible auprès d’une autre partie ' +
        'à l’accord sous 1 mois et 10 jours. dell finance 33,33 % de la récompense : 1,00 $US.',
    );
    const notice: Message = {
      key: 'agreements.notice',
      params: {
        party: 'Broadcom',
        noticeDate: { day: '2023-11-22' },
        reason: { message: { key: 'agreements.reason.changeOfControl', params: {} } },
        effectiveDate: { day: '2024-03-25' },
      },
    };
    expect(french(notice)).toBe(
      'Broadcom a donné un préavis de résiliation le 22/11/2023 (changement de contrôle) ; l’accord prend fin le 25/03/2024 : aucune provision inter-fournisseurs ne compte à partir de ce jour.',
    );
  });
});
