/**
 * One registration, the partner's side (GET /api/deals/{id}): its lines, state, protection and countdown,
 * why it was rejected, the immutable history, and what the partner may do in its state: edit and submit,
 * ask for an extension, withdraw, mark lost, each confirmed first.
 */
import { useState } from 'react';
import { Confirm } from '../components/Confirm';
import { DealBadges, DealHistory, DealLinesTable, LocalTime, ProtectionCountdown } from '../components/deals';
import { ProgramLink } from '../components/refs';
import { Dash, ErrorBanner, Fields, Loading, Money, PageHeading } from '../components/ui';
import { postSignedIn, useAction, useApi, useMe } from '../hooks';
import { canReviewDeals } from '../lib/access';
import { dealPolicyOf, extensionAllowed } from '../lib/deal-policy';
import { partnerActions } from '../lib/deals';
import { humanize } from '../lib/format';
import { Link } from '../router';
import { DealReviewPage } from './DealReviews';
import { StandingSection } from './Standing';
import { DealForm, SubmitOutcome, useReasonLabel } from './Deals';
import type { Deal, DealDetail, SubmitResult } from './deals-types';
import type { ProgramDetail } from './types';

type PartnerStep = 'submit' | 'request-extension' | 'withdraw' | 'lose';

const QUESTIONS: Record<PartnerStep, { question: string; yes: string; what: string }> = {
  submit: {
    question: 'Submit this registration to the vendor?',
    yes: 'Submit',
    what: 'The vendor’s review clock starts; the customer is checked against earlier registrations and the vendor’s direct accounts.',
  },
  'request-extension': {
    question: 'Ask the vendor for more protection days?',
    yes: 'Ask for an extension',
    what: 'The vendor reviews the request; the protection keeps its current end until it is granted.',
  },
  withdraw: {
    question: 'Withdraw this registration?',
    yes: 'Withdraw',
    what: 'It cannot be undone: the registration stops protecting the customer, and another partner may register it.',
  },
  lose: {
    question: 'Mark the opportunity lost?',
    yes: 'Mark lost',
    what: 'It cannot be undone: the registration closes and stops protecting the customer.',
  },
};

/** /deals/{id}: the partner's page; a vendor's reviewer gets the review page of the same registration. */
export function DealDetailPage({ id }: { id: string }) {
  const me = useMe();
  if (me.status === 'loading') return <Loading what="Loading the registration" />;
  return canReviewDeals(me.data) ? <DealReviewPage id={id} /> : <PartnerDealPage id={id} />;
}

function PartnerDealPage({ id }: { id: string }) {
  const state = useApi<DealDetail>(`/api/deals/${encodeURIComponent(id)}`);
  const d = state.data;
  const program = useApi<ProgramDetail>(
    d ? `/api/programs/${encodeURIComponent(d.programId)}` : null,
    {},
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
      setTextError('Say why you need more time: the vendor reads it.');
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
          ? 'Extension requested: the vendor reviews it.'
          : step === 'withdraw'
            ? 'Withdrawn: the registration no longer protects the customer.'
            : 'Marked lost: the registration no longer protects the customer.',
      );
    state.reload();
  };

  return (
    <>
      <p className="crumbs">
        <Link to="/deals">← Deals</Link>
      </p>
      {state.status === 'loading' && !d && <Loading what="Loading the registration" />}
      {state.problem && (
        <>
          <PageHeading title={`Registration ${id}`} />
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
                <strong>Rejected: {reasonLabel(d.reasonCode)}</strong>
              </p>
              {d.reasonText && <p>{d.reasonText}</p>}
            </div>
          )}
          {d.status === 'info-requested' && (
            <div className="banner banner-warn" role="note">
              <p>
                <strong>The vendor asked for more information.</strong> Edit the registration and submit it
                again; see the history for the vendor’s question.
              </p>
            </div>
          )}
          <Fields
            items={[
              ['Total', <Money key="t" minor={d.totalMinor} currency={d.currency} />],
              ['Expected close', d.expectedCloseDate],
              ['Submitted', <LocalTime key="s" value={d.submittedAt} />],
              [
                'Review due',
                d.status === 'submitted' || d.status === 'under-review' ? (
                  <LocalTime key="r" value={d.reviewDueAt} />
                ) : (
                  <Dash key="r" />
                ),
              ],
              ['Approved on', d.approvedOn],
              [
                'Protected until',
                d.protectedUntil ? (
                  <span key="p">
                    {d.protectedUntil} (last day, UTC) · <ProtectionCountdown deal={d} />
                  </span>
                ) : null,
              ],
              [
                'Extensions granted',
                `${d.extensionsGranted}${policy?.maxExtensions != null ? ` of ${policy.maxExtensions}` : ''}`,
              ],
              [
                'Extension requested',
                d.extensionRequestedAt ? <LocalTime key="e" value={d.extensionRequestedAt} /> : null,
              ],
              ['Your reference', d.externalRef],
              [
                'Customer',
                <span key="c">
                  {d.customer.name}
                  {d.customer.domain ? ` · ${d.customer.domain}` : ''}
                  <br />
                  {[d.customer.addressLine, d.customer.postalCode, d.customer.city, d.customer.country]
                    .filter(Boolean)
                    .join(', ')}{' '}
                  · {humanize(d.customer.segment)} · {d.customer.region.toUpperCase()}
                </span>,
              ],
              ['Description', d.description],
            ]}
          />
          <section className="section" aria-labelledby="deal-lines">
            <h2 id="deal-lines">Product families</h2>
            <DealLinesTable lines={d.lines} currency={d.currency} caption="Registration lines" />
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
              question={QUESTIONS[asking].question}
              yes={QUESTIONS[asking].yes}
              busy={act.busy}
              onYes={() => void confirm()}
              onCancel={() => setAsking(null)}
            >
              <p>{QUESTIONS[asking].what}</p>
              {(asking === 'request-extension' || asking === 'lose' || asking === 'withdraw') && (
                <div className="field field-wide">
                  <label htmlFor="deal-step-text">
                    {asking === 'request-extension'
                      ? 'Why you need more time (the vendor reads it)'
                      : 'Note, optional'}
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
              <h2 id="deal-edit">Edit the registration</h2>
              <DealForm
                deal={d}
                onCancel={() => setEditing(false)}
                onDone={(r) => {
                  setEditing(false);
                  setOutcome(r.outcome === 'draft' ? null : r);
                  setMessage(r.outcome === 'draft' ? 'Changes saved.' : null);
                  state.reload();
                }}
              />
            </section>
          )}
          {['draft', 'submitted', 'under-review', 'info-requested', 'approved', 'extended'].includes(
            d.status,
          ) && <StandingSection partnerId={d.partnerId} programId={d.programId} deal={d.id} />}
          <section className="section" aria-labelledby="deal-history">
            <h2 id="deal-history">History</h2>
            <p className="muted">Every change, as recorded; times in your time zone.</p>
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
  const can = partnerActions(d.status);
  if (!can.edit && !can.submit && !can.extend && !can.withdraw && !can.lose) return null;
  return (
    <section className="section" aria-labelledby="deal-actions">
      <h2 id="deal-actions">Actions</h2>
      <p className="actions">
        {can.edit && (
          <button type="button" className="button" aria-expanded={editing} onClick={onEdit}>
            Edit
          </button>
        )}
        {can.submit && (
          <button
            type="button"
            className="button button-primary"
            aria-expanded={asking === 'submit'}
            onClick={() => onAsk('submit')}
          >
            Submit
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
            Ask for an extension
          </button>
        )}
        {can.withdraw && (
          <button
            type="button"
            className="button"
            aria-expanded={asking === 'withdraw'}
            onClick={() => onAsk('withdraw')}
          >
            Withdraw
          </button>
        )}
        {can.lose && (
          <button
            type="button"
            className="button"
            aria-expanded={asking === 'lose'}
            onClick={() => onAsk('lose')}
          >
            Mark lost
          </button>
        )}
      </p>
      {can.extend && (
        <p id="extension-why" className="hint muted">
          {extension.allowed
            ? extension.remaining !== null
              ? `${extension.remaining} extension${extension.remaining === 1 ? '' : 's'} left in this program.`
              : 'Each extension is reviewed by the vendor.'
            : extension.why}
        </p>
      )}
    </section>
  );
}
