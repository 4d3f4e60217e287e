import { describe, expect, it } from 'vitest';
import { renderEnglish } from '../../core/messages/message.js';
import { noticeMessage, noticeSentence, publishedMessage } from '../programs/publish-document.js';
import { crossCreditMessage, type CrossCreditSummary } from '../tiers/evaluate-program.js';

describe('agreement and cross-credit sentences: the English the API has always written, as messages', () => {
  it('a notice of termination, its reason translated when the app knows it', () => {
    expect(noticeSentence('Broadcom', 'change-of-control', '2023-11-22', '2024-03-25')).toBe(
      'Broadcom gave notice of termination on 2023-11-22 (change of control); the agreement ends on 2024-03-25: no cross-vendor accrual counts from that day.',
    );
    expect(noticeSentence('Dell', 'convenience', '2023-01-02', '2023-04-02')).toBe(
      'Dell gave notice of termination on 2023-01-02 (convenience); the agreement ends on 2023-04-02: no cross-vendor accrual counts from that day.',
    );
    expect(noticeMessage('Dell', 'something-else', '2023-01-02', '2023-04-02').params.reason).toBe(
      'something-else',
    );
  });

  it('a publication, with or without an end, between its parties', () => {
    expect(
      renderEnglish(publishedMessage('CFA', { from: '2021-11-01', to: '2024-10-31' }, ['Dell', 'VMware'])),
    ).toBe('CFA published: in force from 2021-11-01 to 2024-10-31 between Dell and VMware.');
    expect(renderEnglish(publishedMessage('X', { from: '2021-11-01', to: null }, ['A', 'B', 'C']))).toBe(
      'X published: in force from 2021-11-01 between A and B and C.',
    );
  });

  it('what a partner bought through another vendor’s channel', () => {
    const c: CrossCreditSummary = {
      distributorId: 'ptn_dell',
      distributorName: 'Dell Technologies',
      throughVendor: 'dell',
      agreement: { code: 'cfa', name: 'Cross-vendor Framework' },
      share: 500_000,
      amountMinor: 1_234_500,
      creditedMinor: 617_250,
      sentence: '',
      sentenceMessage: null,
    };
    expect(renderEnglish(crossCreditMessage(c, 'USD'))).toBe(
      "USD 12,345.00 bought through Dell Technologies (dell's channel) counts at 50% under Cross-vendor Framework: USD 6,172.50 credited.",
    );
    expect(renderEnglish(crossCreditMessage({ ...c, agreement: null }, 'USD'))).toBe(
      "USD 12,345.00 bought through Dell Technologies (dell's channel) earns no qualifying credit: no agreement in force on the order dates credits dell's channel in this program.",
    );
  });
});
