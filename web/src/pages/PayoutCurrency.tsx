/**
 * The partner's payout currency (issue 17): for each program the partner is enrolled in, the currency it
 * is paid in, chosen among those the program allows (GET /api/partners/{id}/payout-currencies, PUT
 * /api/partners/{id}/payout-currency). Shown on the statements page to a partner's admins.
 */
import { useState, type FormEvent } from 'react';
import { ErrorBanner } from '../components/ui';
import { putSignedIn, useAction, useGet } from '../hooks';
import { useT } from '../i18n';
import type { Schema } from '../api/types';

type PayoutCurrency = Schema<'PayoutCurrency'>;

export function PayoutCurrencyChooser({ partnerId }: { partnerId: string }) {
  const t = useT();
  const list = useGet('/api/partners/{partnerId}/payout-currencies', { params: { path: { partnerId } } });
  const items = (list.data?.items ?? []).filter((i) => i.allowed.length > 1 || i.chosen);
  if (items.length === 0) return null;
  return (
    <section aria-labelledby="payout-currency" className="section">
      <h2 id="payout-currency">{t('settle.payout.chooserTitle')}</h2>
      <p className="subtitle">{t('settle.payout.chooserIntro')}</p>
      {items.map((i) => (
        <ProgramCurrency key={i.programId} item={i} partnerId={partnerId} onSaved={list.reload} />
      ))}
    </section>
  );
}

function ProgramCurrency({
  item,
  partnerId,
  onSaved,
}: {
  item: PayoutCurrency;
  partnerId: string;
  onSaved: () => void;
}) {
  const t = useT();
  const [currency, setCurrency] = useState(item.currency);
  const [saved, setSaved] = useState<string | null>(null);
  const save = useAction((body: { program: string; currency: string }) =>
    putSignedIn<PayoutCurrency>(`/api/partners/${encodeURIComponent(partnerId)}/payout-currency`, body),
  );
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(null);
    const r = await save.run({ program: item.programId, currency });
    if (r) {
      setSaved(t('settle.payout.chooserSaved', { program: item.programCode, currency: r.currency }));
      onSaved();
    }
  };
  const id = `payout-${item.programId}`;
  return (
    <form
      className="filters"
      aria-label={`${t('settle.payout.chooserTitle')}: ${item.programCode}`}
      onSubmit={submit}
    >
      <div className="field">
        <span className="muted">{t('settle.payout.chooserProgram')}</span>
        <strong>{item.programCode}</strong>
      </div>
      <div className="field">
        <label htmlFor={id}>{t('settle.payout.chooserCurrency')}</label>
        <select id={id} value={currency} onChange={(e) => setCurrency(e.target.value)}>
          {item.allowed.map((c) => (
            <option key={c} value={c}>
              {c === item.programCurrency ? t('settle.payout.chooserProgramDefault', { currency: c }) : c}
            </option>
          ))}
        </select>
      </div>
      <div className="field field-actions">
        <button type="submit" className="button" disabled={save.busy || currency === item.currency}>
          {t('settle.payout.chooserSave')}
        </button>
      </div>
      {saved && (
        <p role="status" className="hint">
          {saved}
        </p>
      )}
      {save.problem && <ErrorBanner problem={save.problem} />}
    </form>
  );
}
