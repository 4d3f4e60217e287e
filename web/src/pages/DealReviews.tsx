/**
 * Deal registration, the vendor's side: the review queue (GET /api/deals, sorted by review due time) with
 * SLA timers and bulk actions (POST /api/deals/review), and a registration's review page with its history
 * and the conflicts found on submission side by side, with their evidence (GET /api/deals/{id}).
 */
import { useEffect, useState, type ReactNode } from 'react';
import { Trans } from 'react-i18next';
import { Confirm } from '../components/Confirm';
import {
  DealBadges,
  DealHistory,
  DealLinesTable,
  LocalTime,
  ProtectionCountdown,
  SlaTimer,
  useNow,
} from '../components/deals';
import { ListPage, type FilterField } from '../components/ListPage';
import { PartnerLink, ProgramLink } from '../components/refs';
import { Badge, Dash, ErrorBanner, Fields, Loading, Money, PageHeading, TableWrap } from '../components/ui';
import { postSignedIn, useAction, useGet } from '../hooks';
import { formatDate, formatNumber, locale, useExplain, useT } from '../i18n';
import {
  conflictKindText,
  DEAL_STATUSES,
  dealStatusText,
  needsReason,
  needsText,
  REVIEW_QUEUE_STATUSES,
  reviewActions,
  reviewActionText,
  scorePercent,
  segmentText,
  type ReviewAction,
} from '../lib/deals';
import { humanize } from '../lib/format';
import type { ListSpec } from '../lib/query';
import { Link, navigate, useLocation } from '../router';
import type {
  BulkReviewResult,
  Deal,
  DealConflict,
  DealConflictOther,
  OtherRegistration,
  DealCustomer,
  DealDetail,
  DealReason,
} from './deals-types';

const reviewSpec: ListSpec = {
  filters: ['status', 'breached', 'extensionRequested', 'partner', 'q'],
  sorts: ['reviewDueAt', 'createdAt', 'expectedCloseDate', 'total', 'protectedUntil'],
  defaultSort: 'reviewDueAt',
  defaultLimit: 50,
};

const ID_PATTERN = '[a-z]+_[0-9a-z]+';

export function reviewPath(id: string): string {
  return `/deal-reviews/${encodeURIComponent(id)}`;
}

/** The reason codes a reviewer picks from (GET /api/deals/reasons?program=). */
function useReasons(programId: string | null): readonly DealReason[] | undefined {
  const r = useGet(
    programId ? '/api/deals/reasons' : null,
    { params: { query: { program: programId ?? '' } } },
    { cache: true },
  );
  return r.data?.items;
}

const BULK_ACTIONS = ['start-review', 'approve', 'reject'] as const;
type BulkAction = (typeof BULK_ACTIONS)[number];

type Tf = ReturnType<typeof useT>;

/** What a bulk action does to each selected registration. */
const whatHappens = (t: Tf, action: BulkAction): string => t(`deals.review.whatHappens.${action}`);

export function DealReviewsPage() {
  const t = useT();
  const { search } = useLocation();
  // The queue opens on what waits for a decision, soonest due first (Clear then shows every state).
  const [opened] = useState(search);
  useEffect(() => {
    if (!opened)
      navigate(`/deal-reviews?status=${REVIEW_QUEUE_STATUSES}`, { replace: true, keepPosition: true });
  }, [opened]);
  const now = useNow();
  const [selected, setSelected] = useState<ReadonlyMap<string, Deal>>(new Map());
  const [bulk, setBulk] = useState<BulkAction | null>(null);
  const [results, setResults] = useState<{
    action: BulkAction;
    answer: BulkReviewResult;
    deals: ReadonlyMap<string, Deal>;
  } | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const toggle = (d: Deal) =>
    setSelected((s) => {
      const next = new Map(s);
      if (next.has(d.id)) next.delete(d.id);
      else next.set(d.id, d);
      return next;
    });
  const filters: FilterField[] = [
    {
      name: 'status',
      label: t('deals.review.status'),
      kind: 'select',
      options: [
        { value: REVIEW_QUEUE_STATUSES, label: t('deals.review.awaitingDecision') },
        ...DEAL_STATUSES.map((s) => ({ value: s, label: dealStatusText(t, s) })),
      ],
    },
    {
      name: 'breached',
      label: t('deals.review.sla'),
      kind: 'select',
      options: [{ value: 'true', label: t('deals.review.breachedOnly') }],
    },
    {
      name: 'extensionRequested',
      label: t('deals.review.extension'),
      kind: 'select',
      options: [{ value: 'true', label: t('deals.review.requested') }],
    },
    {
      name: 'partner',
      label: t('deals.review.partnerId'),
      kind: 'text',
      placeholder: 'ptn_…',
      pattern: ID_PATTERN,
    },
    { name: 'q', label: t('deals.review.customer'), kind: 'text', placeholder: t('deals.review.partOfName') },
  ];
  return (
    <ListPage<Deal>
      title={t('deals.review.title')}
      path="/deal-reviews"
      endpoint="/api/deals"
      spec={reviewSpec}
      noun="registration"
      reloadKey={reloadKey}
      intro={
        <p className="subtitle">
          <Trans i18nKey="deals.review.intro" components={{ a: <Link to="/deal-flags">{null}</Link> }} />
        </p>
      }
      toolbar={(rows) => (
        <>
          <div className="bulk-bar" role="toolbar" aria-label={t('deals.review.bulkActions')}>
            <span aria-live="polite">
              {selected.size === 0
                ? t('deals.review.noneSelected')
                : t('deals.review.selected', { count: selected.size })}
            </span>
            <button
              type="button"
              className="button"
              disabled={rows.length === 0 || rows.every((d) => selected.has(d.id))}
              onClick={() =>
                setSelected((s) => {
                  const next = new Map(s);
                  for (const d of rows) next.set(d.id, d);
                  return next;
                })
              }
            >
              {t('deals.review.selectAllOnPage')}
            </button>
            {BULK_ACTIONS.map((a) => (
              <button
                key={a}
                type="button"
                className="button"
                disabled={selected.size === 0}
                aria-expanded={bulk === a}
                onClick={() => {
                  setResults(null);
                  setBulk((b) => (b === a ? null : a));
                }}
              >
                {t('deals.review.actionSelected', { action: reviewActionText(t, a) })}
              </button>
            ))}
            {selected.size > 0 && (
              <button type="button" className="button" onClick={() => setSelected(new Map())}>
                {t('deals.review.clearSelection')}
              </button>
            )}
          </div>
          {bulk && selected.size > 0 && (
            <BulkConfirm
              action={bulk}
              deals={selected}
              onCancel={() => setBulk(null)}
              onDone={(answer) => {
                setResults({ action: bulk, answer, deals: selected });
                setBulk(null);
                setSelected(new Map());
                setReloadKey((k) => k + 1);
              }}
            />
          )}
          {results && <BulkResults {...results} />}
        </>
      )}
      filters={filters}
      rowKey={(d) => d.id}
      rowClassName={(d) => (selected.has(d.id) ? 'row-editing' : undefined)}
      columns={[
        {
          key: 'select',
          header: t('deals.review.select'),
          render: (d) => (
            <input
              type="checkbox"
              checked={selected.has(d.id)}
              aria-label={t('deals.review.selectRow', { name: d.customer.name })}
              onChange={() => toggle(d)}
            />
          ),
        },
        {
          key: 'customer',
          header: t('deals.review.customer'),
          render: (d) => <Link to={reviewPath(d.id)}>{d.customer.name}</Link>,
        },
        {
          key: 'partner',
          header: t('deals.review.partner'),
          render: (d) => <PartnerLink id={d.partnerId} />,
        },
        { key: 'status', header: t('deals.review.status'), render: (d) => <DealBadges deal={d} /> },
        { key: 'sla', header: t('deals.review.sla'), render: (d) => <SlaTimer deal={d} now={now} /> },
        {
          key: 'due',
          header: t('deals.review.reviewDue'),
          sort: 'reviewDueAt',
          render: (d) => <LocalTime value={d.reviewDueAt} />,
        },
        {
          key: 'total',
          header: t('deals.review.total'),
          sort: 'total',
          numeric: true,
          render: (d) => <Money minor={d.totalMinor} currency={d.currency} />,
        },
        { key: 'region', header: t('deals.review.region'), render: (d) => d.customer.region.toUpperCase() },
        {
          key: 'close',
          header: t('deals.review.expectedClose'),
          sort: 'expectedCloseDate',
          render: (d) => formatDate(d.expectedCloseDate),
        },
        {
          key: 'protection',
          header: t('deals.review.protection'),
          sort: 'protectedUntil',
          render: (d) => <ProtectionCountdown deal={d} />,
        },
      ]}
    />
  );
}

function BulkConfirm({
  action,
  deals,
  onCancel,
  onDone,
}: {
  action: BulkAction;
  deals: ReadonlyMap<string, Deal>;
  onCancel: () => void;
  onDone: (r: BulkReviewResult) => void;
}) {
  const t = useT();
  const list = [...deals.values()];
  const programs = [...new Set(list.map((d) => d.programId))];
  const reasons = useReasons(programs[0] ?? null);
  const [reasonCode, setReasonCode] = useState('');
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<{ reasonCode?: string; text?: string }>({});
  const act = useAction((body: Record<string, unknown>) =>
    postSignedIn<BulkReviewResult>('/api/deals/review', body),
  );
  const yes = async () => {
    const e: { reasonCode?: string; text?: string } = {};
    if (needsReason(action) && !reasonCode) e.reasonCode = t('deals.review.reasonRequiredBulk');
    if (needsText(action) && !text.trim()) e.text = t('deals.review.textRequiredBulk');
    setErrors(e);
    if (e.reasonCode || e.text) return;
    const r = await act.run({
      ids: list.map((d) => d.id),
      action,
      ...(reasonCode ? { reasonCode } : {}),
      ...(text.trim() ? { text: text.trim() } : {}),
    });
    if (r) onDone(r);
  };
  return (
    <Confirm
      question={t('deals.review.bulkQuestion', { action: reviewActionText(t, action), count: list.length })}
      yes={t('deals.review.bulkYes', { action: reviewActionText(t, action), count: list.length })}
      busy={act.busy}
      onYes={() => void yes()}
      onCancel={onCancel}
    >
      <p>
        {whatHappens(t, action)} {t('deals.review.eachOnItsOwn')}
      </p>
      <ul className="bulk-list">
        {list.map((d) => (
          <li key={d.id}>
            {d.customer.name} (<PartnerLink id={d.partnerId} />, {dealStatusText(t, d.status)}){' '}
            <Money minor={d.totalMinor} currency={d.currency} />
          </li>
        ))}
      </ul>
      {programs.length > 1 && needsReason(action) && (
        <p className="hint">{t('deals.review.spansPrograms')}</p>
      )}
      {(needsReason(action) || needsText(action)) && (
        <ReasonFields
          prefix="bulk"
          action={action}
          reasons={reasons}
          reasonCode={reasonCode}
          setReasonCode={setReasonCode}
          text={text}
          setText={setText}
          errors={errors}
        />
      )}
      {act.problem && <ErrorBanner problem={act.problem} />}
    </Confirm>
  );
}

function BulkResults({
  action,
  answer,
  deals,
}: {
  action: BulkAction;
  answer: BulkReviewResult;
  deals: ReadonlyMap<string, Deal>;
}) {
  const t = useT();
  return (
    <section className="section" aria-labelledby="bulk-results" role="status">
      <h2 id="bulk-results">
        {t('deals.review.resultsHeading', {
          action: reviewActionText(t, action),
          done: answer.done,
          failed: answer.failed,
        })}
      </h2>
      <TableWrap label={t('deals.review.resultsLabel')}>
        <table>
          <caption className="visually-hidden">{t('deals.review.resultsCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('deals.review.customer')}</th>
              <th scope="col">{t('deals.review.result')}</th>
              <th scope="col">{t('deals.review.statusOrError')}</th>
            </tr>
          </thead>
          <tbody>
            {answer.results.map((r) => (
              <tr key={r.id}>
                <td>
                  <Link to={reviewPath(r.id)}>{deals.get(r.id)?.customer.name ?? r.id}</Link>
                </td>
                <td>
                  {r.ok ? (
                    <Badge tone="ok">{t('deals.review.done')}</Badge>
                  ) : (
                    <Badge tone="bad">{t('deals.review.failed')}</Badge>
                  )}
                </td>
                <td>{r.ok ? dealStatusText(t, r.status ?? '') : r.error}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </section>
  );
}

function ReasonFields({
  prefix,
  action,
  reasons,
  reasonCode,
  setReasonCode,
  text,
  setText,
  errors,
}: {
  prefix: string;
  action: ReviewAction;
  reasons: readonly DealReason[] | undefined;
  reasonCode: string;
  setReasonCode: (v: string) => void;
  text: string;
  setText: (v: string) => void;
  errors: { reasonCode?: string; text?: string };
}) {
  const t = useT();
  return (
    <div className="inline-form-fields">
      {needsReason(action) && (
        <div className="field">
          <label htmlFor={`${prefix}-reason`}>{t('deals.review.reasonCode')}</label>
          <select
            id={`${prefix}-reason`}
            value={reasonCode}
            aria-invalid={errors.reasonCode ? true : undefined}
            aria-describedby={errors.reasonCode ? `${prefix}-reason-error` : undefined}
            onChange={(e) => setReasonCode(e.target.value)}
          >
            <option value="">{t('deals.review.chooseReason')}</option>
            {reasons?.map((r) => (
              <option key={r.code} value={r.code}>
                {r.label}
              </option>
            ))}
          </select>
          {errors.reasonCode && (
            <p id={`${prefix}-reason-error`} className="hint field-error" role="alert">
              {errors.reasonCode}
            </p>
          )}
        </div>
      )}
      <div className="field field-wide">
        <label htmlFor={`${prefix}-text`}>
          {action === 'request-info'
            ? t('deals.review.whatToAdd')
            : needsText(action)
              ? t('deals.review.textForPartner')
              : t('deals.review.noteOptional')}
        </label>
        <textarea
          id={`${prefix}-text`}
          rows={2}
          maxLength={2000}
          value={text}
          aria-invalid={errors.text ? true : undefined}
          aria-describedby={errors.text ? `${prefix}-text-error` : undefined}
          onChange={(e) => setText(e.target.value)}
        />
        {errors.text && (
          <p id={`${prefix}-text-error`} className="hint field-error" role="alert">
            {errors.text}
          </p>
        )}
      </div>
    </div>
  );
}

export function DealReviewPage({ id }: { id: string }) {
  const t = useT();
  const state = useGet('/api/deals/{dealId}', { params: { path: { dealId: id } } });
  const d = state.data;
  const now = useNow();
  const reasons = useReasons(d?.programId ?? null);
  const reasonLabel = (code: string) => reasons?.find((r) => r.code === code)?.label ?? humanize(code);
  const [acting, setActing] = useState<ReviewAction | null>(null);
  const [reasonCode, setReasonCode] = useState('');
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<{ reasonCode?: string; text?: string }>({});
  const [message, setMessage] = useState<string | null>(null);
  const act = useAction((action: ReviewAction, body: Record<string, unknown>) =>
    postSignedIn<Deal>(`/api/deals/${encodeURIComponent(id)}/review`, { action, ...body }),
  );
  const open = (a: ReviewAction) => {
    act.clear();
    setMessage(null);
    setReasonCode('');
    setText('');
    setErrors({});
    setActing((x) => (x === a ? null : a));
  };
  const confirm = async () => {
    if (!acting) return;
    const e: { reasonCode?: string; text?: string } = {};
    if (needsReason(acting) && !reasonCode) e.reasonCode = t('deals.review.reasonRequired');
    if (needsText(acting) && !text.trim()) e.text = t('deals.review.textRequired');
    setErrors(e);
    if (e.reasonCode || e.text) return;
    const r = await act.run(acting, {
      ...(reasonCode ? { reasonCode } : {}),
      ...(text.trim() ? { text: text.trim() } : {}),
    });
    if (!r) return;
    const done = { action: reviewActionText(t, acting), status: dealStatusText(t, r.status) };
    setMessage(
      r.protectedUntil && (acting === 'approve' || acting === 'grant-extension')
        ? t('deals.review.decidedProtected', { ...done, until: formatDate(r.protectedUntil) })
        : t('deals.review.decidedNow', done),
    );
    setActing(null);
    state.reload();
  };
  const actions = d ? reviewActions(d.status, d.extensionRequestedAt !== null) : [];
  return (
    <>
      <p className="crumbs">
        <Link to="/deal-reviews">{t('deals.review.back')}</Link>
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
          <PageHeading title={t('deals.review.pageTitle', { name: d.customer.name })}>
            <p className="subtitle">
              <DealBadges deal={d} /> · {d.partnerName ?? <PartnerLink id={d.partnerId} />} ·{' '}
              <ProgramLink id={d.programId} /> · <SlaTimer deal={d} now={now} />
            </p>
          </PageHeading>
          <div role="status">{message && <p className="banner banner-info">{message}</p>}</div>
          {actions.length > 0 && (
            <section className="section" aria-labelledby="review-actions">
              <h2 id="review-actions">{t('deals.review.decide')}</h2>
              <p className="actions">
                {actions.map((a) => (
                  <button
                    key={a}
                    type="button"
                    className={a === 'approve' ? 'button button-primary' : 'button'}
                    aria-expanded={acting === a}
                    onClick={() => open(a)}
                  >
                    {reviewActionText(t, a)}
                  </button>
                ))}
              </p>
              {acting && (
                <Confirm
                  question={t('deals.review.confirmQuestion', {
                    action: reviewActionText(t, acting),
                    name: d.customer.name,
                  })}
                  yes={reviewActionText(t, acting)}
                  busy={act.busy}
                  onYes={() => void confirm()}
                  onCancel={() => setActing(null)}
                >
                  <p>{t(`deals.review.consequences.${acting}`)}</p>
                  <ReasonFields
                    prefix="review"
                    action={acting}
                    reasons={reasons}
                    reasonCode={reasonCode}
                    setReasonCode={setReasonCode}
                    text={text}
                    setText={setText}
                    errors={errors}
                  />
                  {act.problem && <ErrorBanner problem={act.problem} />}
                </Confirm>
              )}
            </section>
          )}
          {d.status === 'rejected' && d.reasonCode && (
            <div className="banner banner-warn" role="note">
              <p>
                <strong>{t('deals.detail.rejected', { reason: reasonLabel(d.reasonCode) })}</strong>
              </p>
              {d.reasonText && <p>{d.reasonText}</p>}
            </div>
          )}
          <section className="section" aria-labelledby="conflicts">
            <h2 id="conflicts">{t('deals.review.conflicts')}</h2>
            {!d.conflicts || d.conflicts.length === 0 ? (
              <p className="muted">{t('deals.review.noConflicts')}</p>
            ) : (
              d.conflicts.map((c, i) => <ConflictView key={c.id} index={i + 1} deal={d} conflict={c} />)
            )}
          </section>
          {d.laterConflicts && d.laterConflicts.length > 0 && (
            <section className="section" aria-labelledby="later-conflicts">
              <h2 id="later-conflicts">{t('deals.review.laterConflicts')}</h2>
              <p className="muted">{t('deals.review.laterConflictsHint')}</p>
              {d.laterConflicts.map((c, i) => (
                <ConflictView
                  key={c.id}
                  index={(d.conflicts?.length ?? 0) + i + 1}
                  deal={d}
                  conflict={{ ...c, kind: 'registration', otherId: c.registrationId }}
                />
              ))}
            </section>
          )}
          <section className="section" aria-labelledby="registration">
            <h2 id="registration">{t('deals.review.registration')}</h2>
            <Fields
              items={[
                [t('deals.review.partner'), d.partnerName ?? <PartnerLink key="p" id={d.partnerId} />],
                [t('deals.review.submitted'), <LocalTime key="s" value={d.submittedAt} />],
                [t('deals.review.reviewDue'), <LocalTime key="r" value={d.reviewDueAt} />],
                [
                  t('deals.review.slaBreachedAt'),
                  d.slaBreachedAt ? <LocalTime key="b" value={d.slaBreachedAt} /> : null,
                ],
                [t('deals.review.expectedClose'), formatDate(d.expectedCloseDate)],
                [
                  t('deals.review.protectedUntil'),
                  d.protectedUntil ? (
                    <span key="pu">
                      {formatDate(d.protectedUntil)} · <ProtectionCountdown deal={d} />
                    </span>
                  ) : null,
                ],
                [t('deals.review.extensionsGranted'), formatNumber(d.extensionsGranted)],
                [
                  t('deals.review.extensionRequested'),
                  d.extensionRequestedAt ? <LocalTime key="e" value={d.extensionRequestedAt} /> : null,
                ],
                [
                  t('deals.review.decided'),
                  d.decidedAt ? (
                    <span key="d">
                      <LocalTime value={d.decidedAt} /> {t('deals.review.decidedBy', { who: d.decidedBy })}
                    </span>
                  ) : null,
                ],
                [t('deals.review.description'), d.description],
              ]}
            />
            <DealLinesTable lines={d.lines} currency={d.currency} caption={t('deals.review.linesCaption')} />
          </section>
          <section className="section" aria-labelledby="history">
            <h2 id="history">{t('deals.review.history')}</h2>
            <DealHistory history={d.history} reasonLabel={reasonLabel} />
          </section>
        </>
      )}
    </>
  );
}

function CustomerBlock({ c }: { c: Partial<DealCustomer> & { name: string } }) {
  const t = useT();
  return (
    <>
      <strong>{c.name}</strong>
      {c.domain && <> · {c.domain}</>}
      <br />
      {[c.addressLine, c.postalCode, c.city, c.country].filter(Boolean).join(', ') || <Dash />}
      {c.segment && <> · {segmentText(t, c.segment)}</>}
      {c.region && <> · {c.region.toUpperCase()}</>}
    </>
  );
}

function Side({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="card">
      <h4>{title}</h4>
      {children}
    </div>
  );
}

function isRegistration(o: DealConflictOther): o is OtherRegistration {
  return 'status' in o && 'lines' in o;
}

/** One conflict: this registration next to what it matched, then the evidence (field, score, why). */
export function ConflictView({
  index,
  deal: d,
  conflict: c,
}: {
  index: number;
  deal: DealDetail;
  conflict: DealConflict;
}) {
  const t = useT();
  const explain = useExplain();
  const score = (value: number) => scorePercent(value, locale());
  const kind = conflictKindText(t, c.kind);
  const o = c.other;
  const evidence = c.evidence;
  return (
    <article className="conflict card" aria-labelledby={`conflict-${index}`}>
      <h3 id={`conflict-${index}`}>
        {t('deals.review.conflictHeading', { index, kind, score: score(c.score) })}{' '}
        <Badge tone={c.decision === 'match' ? 'bad' : 'warn'}>
          {t(`deals.review.decisions.${c.decision}`, { defaultValue: c.decision })}
        </Badge>{' '}
        <Badge tone="neutral">
          {t(`deals.review.conflictStatuses.${c.status}`, { defaultValue: c.status })}
        </Badge>
      </h3>
      <div className="side-by-side">
        <Side title={t('deals.review.thisRegistration')}>
          <p>
            <CustomerBlock c={d.customer} />
          </p>
          <p>
            {d.partnerName ?? <PartnerLink id={d.partnerId} />} · {dealStatusText(t, d.status)} ·{' '}
            <Money minor={d.totalMinor} currency={d.currency} /> ({d.lines.map((l) => l.family).join(', ')})
          </p>
          <p className="muted">
            {t('deals.review.submitted')} <LocalTime value={d.submittedAt} />
          </p>
        </Side>
        <Side title={kind}>
          {o === null ? (
            <p className="muted">
              <code>{c.otherId}</code> {t('deals.review.noLongerReadable')}
            </p>
          ) : isRegistration(o) ? (
            <>
              <p>
                <CustomerBlock c={o.customer} />
              </p>
              <p>
                {o.partnerName ?? <PartnerLink id={o.partnerId} />} · {dealStatusText(t, o.status)} ·{' '}
                <Money minor={o.totalMinor} currency={o.currency} /> (
                {o.lines.map((l) => l.family).join(', ')})
              </p>
              <p className="muted">
                {t('deals.review.submitted')} <LocalTime value={o.submittedAt} /> ·{' '}
                <Link to={reviewPath(o.id)}>{t('deals.review.openThisRegistration')}</Link>
              </p>
            </>
          ) : (
            <p>
              <CustomerBlock c={o} />
              {c.kind === 'customer' && o.id && (
                <>
                  <br />
                  <Link to={`/customers/${encodeURIComponent(o.id)}`}>{t('deals.review.openCustomer')}</Link>
                </>
              )}
            </p>
          )}
        </Side>
      </div>
      <TableWrap label={t('deals.review.evidenceOf', { index })}>
        <table>
          <caption className="visually-hidden">{t('deals.review.evidenceOf', { index })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('deals.review.field')}</th>
              <th scope="col" className="num">
                {t('deals.review.score')}
              </th>
              <th scope="col">{t('deals.review.why')}</th>
            </tr>
          </thead>
          <tbody>
            {evidence.length === 0 && (
              <tr>
                <td colSpan={3} className="muted">
                  {t('deals.review.noEvidence')}
                </td>
              </tr>
            )}
            {evidence.map((e, i) => (
              <tr key={i}>
                <td>{t(`deals.review.evidenceFields.${e.field}`, { defaultValue: humanize(e.field) })}</td>
                <td className="num">{score(e.score)}</td>
                <td>{e.detail === undefined ? '' : explain(e.detail, e.detailMessage)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </article>
  );
}
