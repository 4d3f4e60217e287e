import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { catalogues } from '../i18n/catalogue';
import { formatMoney } from './money';
import { notificationLink, notificationText, type NotificationView } from './notifications';

await i18next.init({
  resources: { en: { translation: catalogues.en }, fr: { translation: catalogues.fr } },
  lng: 'en',
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  initAsync: false,
});

const formatters = (locale: string) => ({
  money: (minor: number, currency: string) => formatMoney(minor, currency, locale),
  day: (d: string) => (locale.startsWith('fr') ? d.split('-').reverse().join('/') : d),
});
const say = (lng: 'en' | 'fr', n: NotificationView) =>
  notificationText(n, i18next.getFixedT(lng), formatters(lng === 'fr' ? 'fr-FR' : 'en-US'));

describe('notification sentences', () => {
  const issued: NotificationView = {
    kind: 'statement.issued',
    params: {
      statementId: 'stm_1',
      programId: 'prg_1',
      period: 'FY18-Q1',
      sequence: 1,
      totalMinor: 465000,
      currency: 'USD',
    },
    subject: { type: 'statement', id: 'stm_1' },
  };

  it('say what happened in English and in French, money in the reader’s way', () => {
    expect(say('en', issued)).toBe('Statement 1 for FY18-Q1 was issued: $4,650.00.');
    expect(say('fr', issued)).toBe('Le relevé 1 de FY18-Q1 a été émis : 4\u202f650,00\u00a0$US.');
  });

  it('use singular and plural days, French 1 day singular', () => {
    const expiring = (daysLeft: number): NotificationView => ({
      kind: 'deal.expiring',
      params: {
        dealId: 'deal_1',
        customerName: 'Acme',
        protectedUntil: '2026-12-08',
        daysLeft,
        threshold: 3,
      },
      subject: { type: 'deal', id: 'deal_1' },
    });
    expect(say('en', expiring(1))).toBe(
      'Your registration for Acme stops being protected in 1 day (2026-12-08).',
    );
    expect(say('en', expiring(3))).toBe(
      'Your registration for Acme stops being protected in 3 days (2026-12-08).',
    );
    expect(say('fr', expiring(1))).toBe(
      'Votre enregistrement pour Acme ne sera plus protégé dans 1 jour (08/12/2026).',
    );
  });

  it('tell a partner of its MDF decisions and claims due, and lead to the activity', () => {
    const decided: NotificationView = {
      kind: 'mdf.decided',
      params: {
        activityId: 'mdf_1',
        title: 'Roundtable',
        decision: 'claim-approved',
        amountMinor: 55000,
        currency: 'USD',
        reason: null,
        claimDeadline: '2026-12-30',
      },
      subject: { type: 'mdf-activity', id: 'mdf_1' },
    };
    expect(say('en', decided)).toBe('Your claim for “Roundtable” was approved: $550.00 paid.');
    expect(say('fr', decided)).toBe(
      'Votre demande pour « Roundtable » est approuvée : 550,00\u00a0$US payés.',
    );
    expect(notificationLink(decided)).toBe('/mdf/mdf_1');
    const due = (daysLeft: number): NotificationView => ({
      kind: 'mdf.claim-due',
      params: {
        activityId: 'mdf_1',
        title: 'Roundtable',
        claimDeadline: '2026-12-30',
        daysLeft,
        threshold: 3,
        preapprovedMinor: 60000,
        currency: 'USD',
      },
      subject: { type: 'mdf-activity', id: 'mdf_1' },
    });
    expect(say('en', due(1))).toBe('Claim $600.00 for “Roundtable”: 1 day left (by 2026-12-30).');
    expect(say('en', due(3))).toBe('Claim $600.00 for “Roundtable”: 3 days left (by 2026-12-30).');
    expect(say('fr', due(3))).toBe(
      'Réclamez 600,00\u00a0$US pour « Roundtable » : 3 jours restants (avant le 30/12/2026).',
    );
  });

  it('name tiers and say the direction of a tier change', () => {
    const n: NotificationView = {
      kind: 'tier.changed',
      params: {
        programId: 'prg_1',
        from: 'gold',
        to: 'titanium-black',
        validFrom: '2026-11-01',
        direction: 'up',
      },
      subject: { type: 'program', id: 'prg_1' },
    };
    expect(say('en', n)).toBe('You moved up to Titanium Black (from Gold) on 2026-11-01.');
    expect(notificationLink(n)).toBe('/programs/prg_1');
  });

  it('lead to the subject, and say nothing for a kind the app does not know', () => {
    expect(notificationLink(issued)).toBe('/statements/stm_1');
    expect(notificationLink({ ...issued, subject: { type: 'offer', id: 'ofr_1' } })).toBe('/offers');
    expect(say('en', { ...issued, kind: 'something.new' })).toBeNull();
  });
});
