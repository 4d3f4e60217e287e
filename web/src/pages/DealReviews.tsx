/**
 * Deal registration, the vendor's side: the review queue (GET /api/deals, sorted by review due time) with
 * SLA timers and bulk actions (POST /api/deals/review), and a registration's review page with its history
 * and the conflicts found on submission side by side, with their evidence (GET /api/deals/{id}).
 */
import { useEffect, useState, type ReactNode } from 'react';
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
import { postSignedIn, useAction, useApi } from '../hooks';
import {
  CONFLICT_KIND_LABELS,
  DEAL_STATUSES,
  needsReason,
  needsText,
  readEvidence,
  REVIEW_ACTION_LABELS,
  REVIEW_QUEUE_STATUSES,
  reviewActions,
  scorePercent,
  statusLabel,
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
  const r = useApi<{ items: readonly DealReason[] }>(
    programId ? '/api/deals/reasons' : null,
    { program: programId ?? '' },
    { cache: true },
  );
  return r.data?.items;
}

const BULK_ACTIONS = ['start-review', 'approve', 'reject'] as const;
type BulkAction = (typeof BULK_ACTIONS)[number];

const WHAT_HAPPENS: Record<BulkAction, string> = {
  'start-review': 'Each moves to “under review”; the SLA clock keeps running.',
  approve: 'Each is approved and its protection starts today.',
  reject: 'Each is rejected with this reason; the partner reads the reason and your text.',
};

export function DealReviewsPage() {
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
      label: 'Status',
      kind: 'select',
      options: [
        { value: REVIEW_QUEUE_STATUSES, label: 'Awaiting a decision' },
        ...DEAL_STATUSES.map((s) => ({ value: s, label: statusLabel(s) })),
      ],
    },
    { name: 'breached', label: 'SLA', kind: 'select', options: [{ value: 'true', label: 'Breached only' }] },
    {
      name: 'extensionRequested',
      label: 'Extension',
      kind: 'select',
      options: [{ value: 'true', label: 'Requested' }],
    },
    { name: 'partner', label: 'Partner id', kind: 'text', placeholder: 'ptn_…', pattern: ID_PATTERN },
    { name: 'q', label: 'Customer', kind: 'text', placeholder: 'Part of the name' },
  ];
  return (
    <ListPage<Deal>
      title="Deal reviews"
      path="/deal-reviews"
      endpoint="/api/deals"
      spec={reviewSpec}
      noun="registration"
      reloadKey={reloadKey}
      intro={
        <p className="subtitle">
          Registrations waiting for your decision, soonest due first. A review not decided by its due time is
          breached. Select rows to act on several at once. Possible abuse found by the checks waits in{' '}
          <Link to="/deal-flags">the deal flags</Link>.
        </p>
      }
      toolbar={(rows) => (
        <>
          <div className="bulk-bar" role="toolbar" aria-label="Bulk actions">
            <span aria-live="polite">
              {selected.size === 0 ? 'No registration selected.' : `${selected.size} selected.`}
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
              Select all on this page
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
                {REVIEW_ACTION_LABELS[a]} selected
              </button>
            ))}
            {selected.size > 0 && (
              <button type="button" className="button" onClick={() => setSelected(new Map())}>
                Clear selection
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
          header: 'Select',
          render: (d) => (
            <input
              type="checkbox"
              checked={selected.has(d.id)}
              aria-label={`Select ${d.customer.name}`}
              onChange={() => toggle(d)}
            />
          ),
        },
        {
          key: 'customer',
          header: 'Customer',
          render: (d) => <Link to={reviewPath(d.id)}>{d.customer.name}</Link>,
        },
        { key: 'partner', header: 'Partner', render: (d) => <PartnerLink id={d.partnerId} /> },
        { key: 'status', header: 'Status', render: (d) => <DealBadges deal={d} /> },
        { key: 'sla', header: 'SLA', render: (d) => <SlaTimer deal={d} now={now} /> },
        {
          key: 'due',
          header: 'Review due',
          sort: 'reviewDueAt',
          render: (d) => <LocalTime value={d.reviewDueAt} />,
        },
        {
          key: 'total',
          header: 'Total',
          sort: 'total',
          numeric: true,
          render: (d) => <Money minor={d.totalMinor} currency={d.currency} />,
        },
        { key: 'region', header: 'Region', render: (d) => d.customer.region.toUpperCase() },
        {
          key: 'close',
          header: 'Expected close',
          sort: 'expectedCloseDate',
          render: (d) => d.expectedCloseDate,
        },
        {
          key: 'protection',
          header: 'Protection',
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
    if (needsReason(action) && !reasonCode) e.reasonCode = 'Choose the reason the partners read.';
    if (needsText(action) && !text.trim()) e.text = 'Say why: the partners read it.';
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
      question={`${REVIEW_ACTION_LABELS[action]}: ${list.length} registration${list.length === 1 ? '' : 's'}?`}
      yes={`${REVIEW_ACTION_LABELS[action]} ${list.length}`}
      busy={act.busy}
      onYes={() => void yes()}
      onCancel={onCancel}
    >
      <p>
        {WHAT_HAPPENS[action]} Each is decided on its own: one that cannot move is reported, the others go
        ahead.
      </p>
      <ul className="bulk-list">
        {list.map((d) => (
          <li key={d.id}>
            {d.customer.name} (<PartnerLink id={d.partnerId} />, {statusLabel(d.status)}){' '}
            <Money minor={d.totalMinor} currency={d.currency} />
          </li>
        ))}
      </ul>
      {programs.length > 1 && needsReason(action) && (
        <p className="hint">The selection spans programs; the reasons listed are those of the first one.</p>
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
  return (
    <section className="section" aria-labelledby="bulk-results" role="status">
      <h2 id="bulk-results">
        {REVIEW_ACTION_LABELS[action]}: {answer.done} done, {answer.failed} failed
      </h2>
      <TableWrap label="Bulk results">
        <table>
          <caption className="visually-hidden">Result for each selected registration</caption>
          <thead>
            <tr>
              <th scope="col">Customer</th>
              <th scope="col">Result</th>
              <th scope="col">Status or error</th>
            </tr>
          </thead>
          <tbody>
            {answer.results.map((r) => (
              <tr key={r.id}>
                <td>
                  <Link to={reviewPath(r.id)}>{deals.get(r.id)?.customer.name ?? r.id}</Link>
                </td>
                <td>{r.ok ? <Badge tone="ok">done</Badge> : <Badge tone="bad">failed</Badge>}</td>
                <td>{r.ok ? statusLabel(r.status ?? '') : r.error}</td>
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
  return (
    <div className="inline-form-fields">
      {needsReason(action) && (
        <div className="field">
          <label htmlFor={`${prefix}-reason`}>Reason code</label>
          <select
            id={`${prefix}-reason`}
            value={reasonCode}
            aria-invalid={errors.reasonCode ? true : undefined}
            aria-describedby={errors.reasonCode ? `${prefix}-reason-error` : undefined}
            onChange={(e) => setReasonCode(e.target.value)}
          >
            <option value="">Choose a reason…</option>
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
            ? 'What the partner must add (the partner reads it)'
            : needsText(action)
              ? 'Text for the partner (required)'
              : 'Note, optional'}
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
  const state = useApi<DealDetail>(`/api/deals/${encodeURIComponent(id)}`);
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
    if (needsReason(acting) && !reasonCode) e.reasonCode = 'Choose the reason the partner reads.';
    if (needsText(acting) && !text.trim()) e.text = 'Say why: the partner reads it.';
    setErrors(e);
    if (e.reasonCode || e.text) return;
    const r = await act.run(acting, {
      ...(reasonCode ? { reasonCode } : {}),
      ...(text.trim() ? { text: text.trim() } : {}),
    });
    if (!r) return;
    setMessage(
      `${REVIEW_ACTION_LABELS[acting]}: done. The registration is now ${statusLabel(r.status)}${
        r.protectedUntil && (acting === 'approve' || acting === 'grant-extension')
          ? `, protected through ${r.protectedUntil}`
          : ''
      }.`,
    );
    setActing(null);
    state.reload();
  };
  const actions = d ? reviewActions(d.status, d.extensionRequestedAt !== null) : [];
  return (
    <>
      <p className="crumbs">
        <Link to="/deal-reviews">← Deal reviews</Link>
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
          <PageHeading title={`Review: ${d.customer.name}`}>
            <p className="subtitle">
              <DealBadges deal={d} /> · {d.partnerName ?? <PartnerLink id={d.partnerId} />} ·{' '}
              <ProgramLink id={d.programId} /> · <SlaTimer deal={d} now={now} />
            </p>
          </PageHeading>
          <div role="status">{message && <p className="banner banner-info">{message}</p>}</div>
          {actions.length > 0 && (
            <section className="section" aria-labelledby="review-actions">
              <h2 id="review-actions">Decide</h2>
              <p className="actions">
                {actions.map((a) => (
                  <button
                    key={a}
                    type="button"
                    className={a === 'approve' ? 'button button-primary' : 'button'}
                    aria-expanded={acting === a}
                    onClick={() => open(a)}
                  >
                    {REVIEW_ACTION_LABELS[a]}
                  </button>
                ))}
              </p>
              {acting && (
                <Confirm
                  question={`${REVIEW_ACTION_LABELS[acting]}: ${d.customer.name}?`}
                  yes={REVIEW_ACTION_LABELS[acting]}
                  busy={act.busy}
                  onYes={() => void confirm()}
                  onCancel={() => setActing(null)}
                >
                  <p>{REVIEW_CONSEQUENCES[acting]}</p>
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
                <strong>Rejected: {reasonLabel(d.reasonCode)}</strong>
              </p>
              {d.reasonText && <p>{d.reasonText}</p>}
            </div>
          )}
          <section className="section" aria-labelledby="conflicts">
            <h2 id="conflicts">Conflicts found on submission</h2>
            {!d.conflicts || d.conflicts.length === 0 ? (
              <p className="muted">None: nothing else covered this customer when it was submitted.</p>
            ) : (
              d.conflicts.map((c, i) => <ConflictView key={c.id} index={i + 1} deal={d} conflict={c} />)
            )}
          </section>
          {d.laterConflicts && d.laterConflicts.length > 0 && (
            <section className="section" aria-labelledby="later-conflicts">
              <h2 id="later-conflicts">Later registrations of this customer</h2>
              <p className="muted">
                Registrations submitted after this one that matched it: turned away as duplicates, or sent to
                review when the match was uncertain. Their partners were told nothing about this registration.
              </p>
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
            <h2 id="registration">The registration</h2>
            <Fields
              items={[
                ['Partner', d.partnerName ?? <PartnerLink key="p" id={d.partnerId} />],
                ['Submitted', <LocalTime key="s" value={d.submittedAt} />],
                ['Review due', <LocalTime key="r" value={d.reviewDueAt} />],
                ['SLA breached at', d.slaBreachedAt ? <LocalTime key="b" value={d.slaBreachedAt} /> : null],
                ['Expected close', d.expectedCloseDate],
                [
                  'Protected until',
                  d.protectedUntil ? (
                    <span key="pu">
                      {d.protectedUntil} · <ProtectionCountdown deal={d} />
                    </span>
                  ) : null,
                ],
                ['Extensions granted', String(d.extensionsGranted)],
                [
                  'Extension requested',
                  d.extensionRequestedAt ? <LocalTime key="e" value={d.extensionRequestedAt} /> : null,
                ],
                [
                  'Decided',
                  d.decidedAt ? (
                    <span key="d">
                      <LocalTime value={d.decidedAt} /> by {d.decidedBy}
                    </span>
                  ) : null,
                ],
                ['Description', d.description],
              ]}
            />
            <DealLinesTable lines={d.lines} currency={d.currency} caption="Registration lines" />
          </section>
          <section className="section" aria-labelledby="history">
            <h2 id="history">History</h2>
            <DealHistory history={d.history} reasonLabel={reasonLabel} />
          </section>
        </>
      )}
    </>
  );
}

const REVIEW_CONSEQUENCES: Record<ReviewAction, string> = {
  'start-review': 'The registration moves to “under review”; its SLA clock keeps running.',
  approve:
    'The registration is approved and protects its customer from today for the program’s protection days.',
  reject: 'The registration is rejected for good; the partner reads the reason and your text.',
  'request-info': 'The registration goes back to the partner, who edits and submits it again.',
  'grant-extension': 'The protection gets the program’s extension days added to its end.',
  'refuse-extension': 'The protection keeps its end; the partner reads the reason and your text.',
};

function CustomerBlock({ c }: { c: Partial<DealCustomer> & { name: string } }) {
  return (
    <>
      <strong>{c.name}</strong>
      {c.domain && <> · {c.domain}</>}
      <br />
      {[c.addressLine, c.postalCode, c.city, c.country].filter(Boolean).join(', ') || <Dash />}
      {c.segment && <> · {humanize(c.segment)}</>}
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
  const o = c.other;
  const evidence = c.evidence.map(readEvidence).filter((e) => e !== null);
  return (
    <article className="conflict card" aria-labelledby={`conflict-${index}`}>
      <h3 id={`conflict-${index}`}>
        Conflict {index}: {CONFLICT_KIND_LABELS[c.kind] ?? humanize(c.kind)} · score {scorePercent(c.score)} ·{' '}
        <Badge tone={c.decision === 'match' ? 'bad' : 'warn'}>{c.decision}</Badge>{' '}
        <Badge tone="neutral">{c.status}</Badge>
      </h3>
      <div className="side-by-side">
        <Side title="This registration">
          <p>
            <CustomerBlock c={d.customer} />
          </p>
          <p>
            {d.partnerName ?? <PartnerLink id={d.partnerId} />} · {statusLabel(d.status)} ·{' '}
            <Money minor={d.totalMinor} currency={d.currency} /> ({d.lines.map((l) => l.family).join(', ')})
          </p>
          <p className="muted">
            Submitted <LocalTime value={d.submittedAt} />
          </p>
        </Side>
        <Side title={CONFLICT_KIND_LABELS[c.kind] ?? humanize(c.kind)}>
          {o === null ? (
            <p className="muted">
              <code>{c.otherId}</code> (no longer readable)
            </p>
          ) : isRegistration(o) ? (
            <>
              <p>
                <CustomerBlock c={o.customer} />
              </p>
              <p>
                {o.partnerName ?? <PartnerLink id={o.partnerId} />} · {statusLabel(o.status)} ·{' '}
                <Money minor={o.totalMinor} currency={o.currency} /> (
                {o.lines.map((l) => l.family).join(', ')})
              </p>
              <p className="muted">
                Submitted <LocalTime value={o.submittedAt} /> ·{' '}
                <Link to={reviewPath(o.id)}>Open this registration</Link>
              </p>
            </>
          ) : (
            <p>
              <CustomerBlock c={o} />
              {c.kind === 'customer' && o.id && (
                <>
                  <br />
                  <Link to={`/customers/${encodeURIComponent(o.id)}`}>Open the customer</Link>
                </>
              )}
            </p>
          )}
        </Side>
      </div>
      <TableWrap label={`Evidence of conflict ${index}`}>
        <table>
          <caption className="visually-hidden">Evidence of conflict {index}</caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col" className="num">
                Score
              </th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {evidence.length === 0 && (
              <tr>
                <td colSpan={3} className="muted">
                  No field-by-field evidence was recorded.
                </td>
              </tr>
            )}
            {evidence.map((e, i) => (
              <tr key={i}>
                <td>{humanize(e.field)}</td>
                <td className="num">{scorePercent(e.score)}</td>
                <td>{e.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </article>
  );
}
