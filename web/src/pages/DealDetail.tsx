/**
 * One registration, the partner's side (GET /api/deals/{id}): its lines, state, protection and countdown,
 * why it was rejected, the immutable history, and what the partner may do in its state: edit and submit,
 * ask for an extension, withdraw, mark lost, each confirmed first.
 */
import { useState } from 'react';
import { Trans } from 'react-i18next';
import { Confirm } from '../components/Confirm';
import { DealBadges, DealHistory, DealLinesTable, LocalTime, ProtectionCountdown } from '../components/deals';
import { ProgramLink } from '../components/refs';
import { Dash, ErrorBanner, Fields, Loading, Money, PageHeading } from '../components/ui';
import { postSignedIn, useAction, useGet, useMe } from '../hooks';
import { formatDate, formatNumber, useT } from '../i18n';
import { canReviewDeals } from '../lib/access';
import { dealPolicyOf, extensionAllowed } from '../lib/deal-policy';
import { partnerActions, segmentText } from '../lib/deals';
import { Link } from '../router';
import { DealReviewPage } from './DealReviews';
import { StandingSection } from './Standing';
import { DealForm, SubmitOutcome, useReasonLabel } from './Deals';
import type { Deal, SubmitResult } from './deals-types';

type PartnerStep = 'submit' | 'request-extension' | 'withdraw' | 'lose';

type Tf = ReturnType<typeof useT>;

/** The confirmation of each step: its question, its button, and what follows. */
function question(t: Tf, step: PartnerStep): { question: string; yes: string; what: string } {
  switch (step) {
    case 'submit':
      return {
        question: t('deals.detail.steps.submit.question'),
        yes: t('deals.detail.steps.submit.yes'),
        what: t('deals.detail.steps.submit.what'),
      };
    case 'request-extension':
      return {
        question: t('deals.detail.steps.requestExtension.question'),
        yes: t('deals.detail.steps.requestExtension.yes'),
        what: t('deals.detail.steps.requestExtension.what'),
      };
    case 'withdraw':
      return {
        question: t('deals.detail.steps.withdraw.question'),
        yes: t('deals.detail.steps.withdraw.yes'),
        what: t('deals.detail.steps.withdraw.what'),
      };
    case 'lose':
      return {
        question: t('deals.detail.steps.lose.question'),
        yes: t('deals.detail.steps.lose.yes'),
        what: t('deals.detail.steps.lose.what'),
      };
  }
}

/** /deals/{id}: the partner's page; a vendor's reviewer gets the review page of the same registration. */
export function DealDetailPage({ id }: { id: string }) {
  const t = useT();
  const me = useMe();
  if (me.status === 'loading') return <Loading what={t('deals.detail.loading')} />;
  return canReviewDeals(me.data) ? <DealReviewPage id={id} /> : <PartnerDealPage id={id} />;
}

function PartnerDealPage({ id }: { id: string }) {
  const t = useT();
  const state = useGet('/api/deals/{dealId}', { params: { path: { dealId: id } } });
  const d = state.data;
  const program = useGet(
    d ? '/api/programs/{programId}' : null,
    { params: { path: { programId: d?.programId ?? '' } } },
    { cache: true },
  );
  const policy = program.data ? dealPolicyOf(program.data) : null;
  const reasonLabel = useReasonLabel(d?.programId ?? null);
  const [editing, setEditing] = useState(false);
  const [asking, setAsking] = useState<PartnerStep | null>(null);
  const [text, setText] = useState('');
  const [textError, setTextError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<SubmitResult | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const act = useAction(async (step: PartnerStep, body: { text?: string }) => {
    const path = `/api/deals/${encodeURIComponent(id)}/${step}`;
    if (step === 'submit') return { submit: await postSignedIn<SubmitResult>(path, {}) };
    return { deal: await postSignedIn<Deal>(path, body) };
  });

  const ask = (step: PartnerStep) => {
    act.clear();
    setMessage(null);
    setOutcome(null);
    setText('');
    setTextError(null);
    setAsking((a) => (a === step ? null : step));
  };

  const confirm = async () => {
    if (!asking) return;
    if (asking === 'request-extension' && !text.trim()) {
      setTextError(t('deals.detail.whyRequired'));
      return;
    }
    const step = asking;
    const r = await act.run(step, text.trim() ? { text: text.trim() } : {});
    if (!r) return;
    setAsking(null);
    if (r.submit) setOutcome(r.submit);
    else
      setMessage(
        step === 'request-extension'
          ? t('deals.detail.extensionRequestedDone')
          : step === 'withdraw'
            ? t('deals.detail.withdrawnDone')
            : t('deals.detail.lostDone'),
      );
    state.reload();
  };

  return (
    <>
      <p className="crumbs">
        <Link to="/deals">{t('deals.register.back')}</Link>
      </p>
      {state.status === 'loading' && !d && <Loading what={t('deals.detail.loading')} />}
      {state.problem && (
        <>
          <PageHeading title={t('deals.detail.title', { id })} />
          <ErrorBanner problem={state.problem} onRetry={state.reload} />
        </>
      )}
      {d && (
        <>
          <PageHeading title={d.customer.name}>
            <p className="subtitle">
              <DealBadges deal={d} /> · <ProgramLink id={d.programId} /> · <code>{d.id}</code>
            </p>
          </PageHeading>
          {outcome && <SubmitOutcome result={outcome} />}
          <div role="status">{message && <p className="banner banner-info">{message}</p>}</div>
          {d.status === 'rejected' && d.reasonCode && (
            <div className="banner banner-warn" role="note">
              <p>
                <strong>{t('deals.detail.rejected', { reason: reasonLabel(d.reasonCode) })}</strong>
              </p>
              {d.reasonText && <p>{d.reasonText}</p>}
            </div>
          )}
          {d.status === 'info-requested' && (
            <div className="banner banner-warn" role="note">
              <p>
                <Trans i18nKey="deals.detail.infoRequested" components={{ strong: <strong /> }} />
              </p>
            </div>
          )}
          <Fields
            items={[
              [t('deals.detail.total'), <Money key="t" minor={d.totalMinor} currency={d.currency} />],
              [t('deals.detail.expectedClose'), formatDate(d.expectedCloseDate)],
              [t('deals.detail.submitted'), <LocalTime key="s" value={d.submittedAt} />],
              [
                t('deals.detail.reviewDue'),
                d.status === 'submitted' || d.status === 'under-review' ? (
                  <LocalTime key="r" value={d.reviewDueAt} />
                ) : (
                  <Dash key="r" />
                ),
              ],
              [t('deals.detail.approvedOn'), d.approvedOn ? formatDate(d.approvedOn) : d.approvedOn],
              [
                t('deals.detail.protectedUntil'),
                d.protectedUntil ? (
                  <span key="p">
                    {t('deals.detail.lastDayUtc', { day: formatDate(d.protectedUntil) })} ·{' '}
                    <ProtectionCountdown deal={d} />
                  </span>
                ) : null,
              ],
              [
                t('deals.detail.extensionsGranted'),
                policy?.maxExtensions != null
                  ? t('deals.detail.extensionsOf', {
                      granted: formatNumber(d.extensionsGranted),
                      max: formatNumber(policy.maxExtensions),
                    })
                  : formatNumber(d.extensionsGranted),
              ],
              [
                t('deals.detail.extensionRequested'),
                d.extensionRequestedAt ? <LocalTime key="e" value={d.extensionRequestedAt} /> : null,
              ],
              [t('deals.detail.yourReference'), d.externalRef],
              [
                t('deals.detail.customer'),
                <span key="c">
                  {d.customer.name}
                  {d.customer.domain ? ` · ${d.customer.domain}` : ''}
                  <br />
                  {[d.customer.addressLine, d.customer.postalCode, d.customer.city, d.customer.country]
                    .filter(Boolean)
                    .join(', ')}{' '}
                  · {segmentText(t, d.customer.segment)} · {d.customer.region.toUpperCase()}
                </span>,
              ],
              [t('deals.detail.description'), d.description],
            ]}
          />
          <section className="section" aria-labelledby="deal-lines">
            <h2 id="deal-lines">{t('deals.detail.families')}</h2>
            <DealLinesTable lines={d.lines} currency={d.currency} caption={t('deals.detail.linesCaption')} />
          </section>
          <PartnerActions
            deal={d}
            extension={extensionAllowed(policy, d)}
            asking={asking}
            onAsk={ask}
            onEdit={() => {
              setEditing((e) => !e);
              setAsking(null);
            }}
            editing={editing}
          />
          {asking && (
            <Confirm
              question={question(t, asking).question}
              yes={question(t, asking).yes}
              busy={act.busy}
              onYes={() => void confirm()}
              onCancel={() => setAsking(null)}
            >
              <p>{question(t, asking).what}</p>
              {(asking === 'request-extension' || asking === 'lose' || asking === 'withdraw') && (
                <div className="field field-wide">
                  <label htmlFor="deal-step-text">
                    {asking === 'request-extension'
                      ? t('deals.detail.whyMoreTime')
                      : t('deals.detail.noteOptional')}
                  </label>
                  <textarea
                    id="deal-step-text"
                    rows={2}
                    maxLength={2000}
                    value={text}
                    aria-invalid={textError ? true : undefined}
                    aria-describedby={textError ? 'deal-step-text-error' : undefined}
                    onChange={(e) => setText(e.target.value)}
                  />
                  {textError && (
                    <p id="deal-step-text-error" className="hint field-error" role="alert">
                      {textError}
                    </p>
                  )}
                </div>
              )}
              {act.problem && <ErrorBanner problem={act.problem} />}
            </Confirm>
          )}
          {editing && (
            <section className="section" aria-labelledby="deal-edit">
              <h2 id="deal-edit">{t('deals.detail.editTitle')}</h2>
              <DealForm
                deal={d}
                onCancel={() => setEditing(false)}
                onDone={(r) => {
                  setEditing(false);
                  setOutcome(r.outcome === 'draft' ? null : r);
                  setMessage(r.outcome === 'draft' ? t('deals.detail.changesSaved') : null);
                  state.reload();
                }}
              />
            </section>
          )}
          {['draft', 'submitted', 'under-review', 'info-requested', 'approved', 'extended'].includes(
            d.status,
          ) && <StandingSection partnerId={d.partnerId} programId={d.programId} deal={d.id} />}
          <section className="section" aria-labelledby="deal-history">
            <h2 id="deal-history">{t('deals.detail.history')}</h2>
            <p className="muted">{t('deals.detail.historyHint')}</p>
            <DealHistory history={d.history} reasonLabel={reasonLabel} />
          </section>
        </>
      )}
    </>
  );
}

function PartnerActions({
  deal: d,
  extension,
  asking,
  onAsk,
  onEdit,
  editing,
}: {
  deal: Deal;
  extension: ReturnType<typeof extensionAllowed>;
  asking: PartnerStep | null;
  onAsk: (s: PartnerStep) => void;
  onEdit: () => void;
  editing: boolean;
}) {
  const t = useT();
  const can = partnerActions(d.status);
  if (!can.edit && !can.submit && !can.extend && !can.withdraw && !can.lose) return null;
  return (
    <section className="section" aria-labelledby="deal-actions">
      <h2 id="deal-actions">{t('deals.detail.actions')}</h2>
      <p className="actions">
        {can.edit && (
          <button type="button" className="button" aria-expanded={editing} onClick={onEdit}>
            {t('deals.detail.edit')}
          </button>
        )}
        {can.submit && (
          <button
            type="button"
            className="button button-primary"
            aria-expanded={asking === 'submit'}
            onClick={() => onAsk('submit')}
          >
            {t('deals.detail.submit')}
          </button>
        )}
        {can.extend && (
          <button
            type="button"
            className="button"
            disabled={!extension.allowed}
            aria-expanded={asking === 'request-extension'}
            aria-describedby="extension-why"
            onClick={() => onAsk('request-extension')}
          >
            {t('deals.detail.askExtension')}
          </button>
        )}
        {can.withdraw && (
          <button
            type="button"
            className="button"
            aria-expanded={asking === 'withdraw'}
            onClick={() => onAsk('withdraw')}
          >
            {t('deals.detail.withdraw')}
          </button>
        )}
        {can.lose && (
          <button
            type="button"
            className="button"
            aria-expanded={asking === 'lose'}
            onClick={() => onAsk('lose')}
          >
            {t('deals.detail.markLost')}
          </button>
        )}
      </p>
      {can.extend && (
        <p id="extension-why" className="hint muted">
          {extension.allowed
            ? extension.remaining !== null
              ? t('deals.detail.extensionsLeft', { count: extension.remaining })
              : t('deals.detail.eachExtensionReviewed')
            : extension.reason === 'pending'
              ? t('deals.detail.extensionPending')
              : extension.reason === 'none'
                ? t('deals.detail.noExtensions')
                : t('deals.detail.extensionsUsed', { count: extension.max ?? 0 })}
        </p>
      )}
    </section>
  );
}
