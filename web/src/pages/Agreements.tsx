/**
 * Vendor agreements (GET /api/agreements, /api/agreements/{id}): the list with each agreement's status
 * today, and one agreement's parties, terms in words, history, the caller's share of the funding and the
 * rewards it funded (a vendor) or earned (a partner). A party's vendor admin gives notice of termination
 * (POST /api/agreements/{id}/notice) after confirming the day it takes effect.
 */
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Confirm } from '../components/Confirm';
import { DataTable } from '../components/DataTable';
import { PartnerLink, ProgramLink, VendorName } from '../components/refs';
import { Badge, Dash, Empty, ErrorBanner, Fields, Loading, Money, PageHeading } from '../components/ui';
import { postSignedIn, useAction, useApi, usePrograms } from '../hooks';
import {
  addDaysIso,
  agreementStatusLabel,
  agreementStatusTone,
  allowedNoticeReasons,
  basisPointsText,
  defaultNoticeDate,
  durationWords,
  NOTICE_REASON_LABELS,
  noticeDateProblem,
} from '../lib/agreements';
import { formatPpmPercent } from '../lib/money';
import { detailPath } from '../lib/routes';
import { Link, navigate, useLocation } from '../router';
import type { AgreementDetail, AgreementReward, AgreementSummary } from './agreements-types';

const STATUSES = ['draft', 'active', 'notice-given', 'terminated', 'ended'] as const;

export function AgreementStatusBadge({ status }: { status: string }) {
  return (
    <Badge tone={agreementStatusTone(status)}>
      <span data-status={status}>{agreementStatusLabel(status)}</span>
    </Badge>
  );
}

/** "Dell Technologies and VMware". */
function partiesText(a: AgreementSummary): string {
  const names = a.parties.map((p) => p.name);
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

function partyName(a: AgreementSummary, slug: string): string {
  return a.parties.find((p) => p.slug === slug)?.name ?? slug;
}

function reasonText(reason: string): string {
  return (NOTICE_REASON_LABELS[reason] ?? reason).toLowerCase();
}

/** One sentence for the notice, if any: who, when, why, and when it takes effect. */
function NoticeText({ a }: { a: AgreementSummary }) {
  const n = a.notice;
  if (!n) return <Dash />;
  return (
    <>
      {partyName(a, n.by)} gave notice on <time dateTime={n.noticeDate}>{n.noticeDate}</time> (
      {reasonText(n.reason)}); {n.effectiveDate <= a.asOf ? 'terminated on' : 'takes effect on'}{' '}
      <time dateTime={n.effectiveDate}>{n.effectiveDate}</time>
    </>
  );
}

export function AgreementsPage() {
  const { search } = useLocation();
  const status = new URLSearchParams(search).get('status') ?? '';
  const list = useApi<{ items: readonly AgreementSummary[] }>(
    '/api/agreements',
    { status: (STATUSES as readonly string[]).includes(status) ? status : undefined },
    { keepPrevious: true },
  );
  const items = list.data?.items ?? [];
  return (
    <>
      <PageHeading title="Agreements">
        <p className="subtitle">
          Commercial agreements between vendors that bind their partner programs: a vendor sees those it is
          party to, a partner those binding a program it is enrolled in. Status as of today.
        </p>
      </PageHeading>
      <form className="filters" aria-label="Filter agreements" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="agreements-status">Status</label>
          <select
            id="agreements-status"
            value={status}
            onChange={(e) =>
              navigate(e.target.value ? `/agreements?status=${e.target.value}` : '/agreements', {
                replace: true,
                keepPosition: true,
              })
            }
          >
            <option value="">Any status</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {agreementStatusLabel(s)}
              </option>
            ))}
          </select>
        </div>
      </form>
      {list.problem && <ErrorBanner problem={list.problem} onRetry={list.reload} />}
      {list.status === 'loading' && !list.data && <Loading what="Loading agreements" />}
      {list.data && items.length === 0 && (
        <Empty>{status ? 'No agreement has this status today.' : 'No agreement binds you.'}</Empty>
      )}
      {items.length > 0 && (
        <DataTable<AgreementSummary>
          caption="Agreements"
          rows={items}
          rowKey={(a) => a.id}
          busy={list.status === 'loading'}
          columns={[
            {
              key: 'name',
              header: 'Agreement',
              render: (a) => <Link to={detailPath('agreements', a.id)}>{a.name}</Link>,
            },
            { key: 'parties', header: 'Parties', render: (a) => partiesText(a) },
            {
              key: 'status',
              header: 'Status today',
              render: (a) => <AgreementStatusBadge status={a.status} />,
            },
            {
              key: 'effective',
              header: 'In force',
              render: (a) => (
                <>
                  {a.effectiveFrom} to {a.effectiveTo ?? 'open-ended'}
                </>
              ),
            },
            { key: 'term', header: 'Term', render: (a) => durationWords(a.term) },
            { key: 'notice', header: 'Notice and termination', render: (a) => <NoticeText a={a} /> },
          ]}
        />
      )}
    </>
  );
}

export function AgreementDetailPage({ id }: { id: string }) {
  const state = useApi<AgreementDetail>(`/api/agreements/${encodeURIComponent(id)}`);
  const [given, setGiven] = useState<AgreementDetail | null>(null);
  const a = given ?? state.data;
  return (
    <>
      <p className="crumbs">
        <Link to="/agreements">← Agreements</Link>
      </p>
      {state.status === 'loading' && !a && <Loading />}
      {state.problem && (
        <>
          <PageHeading title={`Agreement ${id}`} />
          <ErrorBanner problem={state.problem} onRetry={state.reload} />
        </>
      )}
      {a && (
        <AgreementView
          a={a}
          justGiven={given !== null}
          onNoticeGiven={(d) => {
            setGiven(d);
            state.reload();
          }}
        />
      )}
    </>
  );
}

function StatusBanner({ a }: { a: AgreementDetail }) {
  const n = a.notice;
  if (a.status === 'terminated' && n)
    return (
      <div className="banner banner-error agreement-state" role="status">
        <p>
          <strong>Terminated on {n.effectiveDate}.</strong> {partyName(a, n.by)} gave notice on {n.noticeDate}{' '}
          ({reasonText(n.reason)}). No cross-vendor reward accrues from {n.effectiveDate}; rewards earned
          before it stand.
        </p>
      </div>
    );
  if (a.status === 'notice-given' && n)
    return (
      <div className="banner banner-warn agreement-state" role="status">
        <p>
          <strong>Notice given.</strong> {partyName(a, n.by)} gave notice on {n.noticeDate} (
          {reasonText(n.reason)}): the agreement ends on {n.effectiveDate}; cross-vendor rewards accrue
          through {a.accrualsThrough}.
        </p>
      </div>
    );
  if (a.status === 'ended')
    return (
      <div className="banner banner-info agreement-state" role="status">
        <p>
          <strong>Ended.</strong> The term ran out on {a.effectiveTo}
          {n ? (
            <>
              {' '}
              ({partyName(a, n.by)} had given notice on {n.noticeDate}, effective {n.effectiveDate})
            </>
          ) : null}
          .
        </p>
      </div>
    );
  if (a.status === 'draft')
    return (
      <div className="banner banner-info agreement-state" role="status">
        <p>
          <strong>Not in force yet:</strong> it takes effect on {a.effectiveFrom}.
        </p>
      </div>
    );
  return null;
}

function AgreementView({
  a,
  justGiven,
  onNoticeGiven,
}: {
  a: AgreementDetail;
  justGiven: boolean;
  onNoticeGiven: (d: AgreementDetail) => void;
}) {
  const programs = usePrograms();
  // Another party's program is not in the caller's list: its code, without a link the caller cannot open.
  const programLink = (code: string) => {
    const program = programs.data?.items.find((p) => p.code === code);
    return program ? (
      <Link key={code} to={detailPath('programs', program.code)}>
        {program.name}
      </Link>
    ) : (
      <code key={code}>{code}</code>
    );
  };
  const joinNodes = (nodes: ReactNode[]) =>
    nodes.flatMap((n, i) => (i === 0 ? [n] : [<span key={`sep-${i}`}>, </span>, n]));
  const t = a.terms;
  const sr = t.solutionReward;
  const isVendor = a.yourFunding !== null;
  return (
    <>
      <PageHeading title={a.name}>
        <p className="subtitle">
          <AgreementStatusBadge status={a.status} /> between {partiesText(a)}, as of {a.asOf}
        </p>
      </PageHeading>
      <div role="status">
        {justGiven && a.notice && (
          <p className="banner banner-info notice-outcome">
            Notice given on {a.notice.noticeDate}: the agreement is terminated on {a.notice.effectiveDate}.
            The other party and the partners see it.
          </p>
        )}
      </div>
      <StatusBanner a={a} />
      <Fields
        items={[
          ['Status today', <AgreementStatusBadge key="s" status={a.status} />],
          ['Signed', a.signed],
          ['In force', `${a.effectiveFrom} to ${a.effectiveTo ?? 'open-ended'}`],
          ['Term', `${durationWords(a.term)}${a.effectiveTo ? `, to ${a.effectiveTo}` : ''}`],
          ['Notice period', `${t.noticeDays} days`],
          ['Notice and termination', a.notice ? <NoticeText key="n" a={a} /> : 'none given'],
          ['Cross-vendor rewards accrue through', a.accrualsThrough ?? 'open-ended'],
          ...(isVendor
            ? ([
                [
                  'Your share of the funding',
                  <strong key="f" data-testid="your-funding">
                    {basisPointsText(a.yourFunding?.basisPoints ?? 0)}
                  </strong>,
                ],
              ] as const)
            : []),
        ]}
      />

      <section className="section" aria-labelledby="agreement-parties">
        <h2 id="agreement-parties">Parties and the programs they bind</h2>
        <DataTable
          caption="Parties"
          rows={a.parties}
          rowKey={(p) => p.slug}
          columns={[
            { key: 'name', header: 'Party', render: (p) => <strong>{p.name}</strong> },
            { key: 'role', header: 'Role', render: (p) => p.role },
            {
              key: 'programs',
              header: 'Programs bound',
              render: (p) => (p.programs.length ? joinNodes(p.programs.map(programLink)) : <Dash />),
            },
            {
              key: 'funding',
              header: 'Share of the reward funding',
              numeric: true,
              render: (p) => {
                const f = sr?.funding.find((x) => x.vendor === p.slug);
                return f ? basisPointsText(f.basisPoints) : <Dash />;
              },
            },
          ]}
        />
      </section>

      <section className="section agreement-terms" aria-labelledby="agreement-terms">
        <h2 id="agreement-terms">Terms</h2>
        <h3>Continuity</h3>
        {t.continuity.enabled ? (
          <p>
            Partners keep their tiers and benefits in{' '}
            {t.continuity.programs.length
              ? joinNodes(t.continuity.programs.map(programLink))
              : 'every bound program'}
            .
          </p>
        ) : (
          <p>No continuity of tiers or benefits.</p>
        )}
        <h3>Cross-credit</h3>
        {t.continuity.crossCredit.length === 0 ? (
          <p>None: each program counts only its own vendor&apos;s purchases.</p>
        ) : (
          <ul>
            {t.continuity.crossCredit.map((c) => (
              <li key={`${c.from}-${c.to}`}>
                Purchases of {partyName(a, c.to)} through {partyName(a, c.from)} count{' '}
                <strong>{formatPpmPercent(c.sharePpm)}</strong> toward {partyName(a, c.to)}&apos;s program.
                {c.description && <span className="muted"> {c.description}</span>}
              </li>
            ))}
          </ul>
        )}
        <h3>Cross-vendor solution rewards</h3>
        {sr ? (
          <>
            <p>
              A partner that sells one customer a combined solution within {durationWords(sr.window)} (
              {sr.requires
                .map((r) => `from ${partyName(a, r.vendor)}: ${r.families.join(' or ')}`)
                .join('; ')}
              ) earns <strong>{formatPpmPercent(sr.pointsPpm)}</strong> of the solution&apos;s value as extra
              points.
            </p>
            <p>
              Funded by{' '}
              {sr.funding
                .map((f) => `${partyName(a, f.vendor)} ${basisPointsText(f.basisPoints)}`)
                .join(', ')}
              , split to the cent.
              {isVendor && (
                <>
                  {' '}
                  Your share: <strong>{basisPointsText(a.yourFunding?.basisPoints ?? 0)}</strong>.
                </>
              )}
            </p>
          </>
        ) : (
          <p>None.</p>
        )}
        <h3>Termination</h3>
        <ul>
          <li>
            Change of control:{' '}
            {t.changeOfControl.allowsTermination ? 'either party may give notice' : 'no termination'}
            {t.changeOfControl.description && (
              <span className="muted"> ({t.changeOfControl.description})</span>
            )}
          </li>
          <li>
            Convenience: {t.convenience.allowsTermination ? 'either party may give notice' : 'no termination'}
            {t.convenience.description && <span className="muted"> ({t.convenience.description})</span>}
          </li>
          <li>Notice takes effect {t.noticeDays} days after the day it is given.</li>
        </ul>
      </section>

      {a.canGiveNotice && <GiveNotice a={a} onGiven={onNoticeGiven} />}

      <section className="section" aria-labelledby="agreement-history">
        <h2 id="agreement-history">History</h2>
        {a.events.length === 0 ? (
          <Empty>No event recorded.</Empty>
        ) : (
          <ol className="plain-list agreement-events">
            {a.events.map((e, i) => (
              <li key={`${e.at}-${i}`}>
                <time dateTime={e.onDay}>{e.onDay}</time>: {e.sentence}
              </li>
            ))}
          </ol>
        )}
      </section>

      <Rewards a={a} isVendor={isVendor} />
    </>
  );
}

function Rewards({ a, isVendor }: { a: AgreementDetail; isVendor: boolean }) {
  const title = isVendor ? 'Rewards you funded' : 'Your cross-vendor rewards';
  return (
    <section className="section" aria-labelledby="agreement-rewards">
      <h2 id="agreement-rewards">{title}</h2>
      <p className="muted">
        {isVendor
          ? 'Your share of each solution reward, explained with your own lines only.'
          : 'Each solution reward with the share each party funds.'}
      </p>
      {a.rewardTotals.length > 0 && (
        <p className="reward-totals">
          {a.rewardTotals.map((r, i) => (
            <span key={r.currency}>
              {i > 0 && '; '}
              <Money minor={r.totalMinor} currency={r.currency} /> in {r.shares}{' '}
              {r.shares === 1 ? 'share' : 'shares'}
            </span>
          ))}
        </p>
      )}
      {a.rewards.length === 0 ? (
        <Empty>No cross-vendor reward yet.</Empty>
      ) : (
        <DataTable<AgreementReward>
          caption={title}
          rows={a.rewards}
          rowKey={(r) => r.id}
          columns={[
            { key: 'completed', header: 'Completed on', render: (r) => r.completedOn },
            ...(isVendor
              ? [
                  {
                    key: 'partner',
                    header: 'Partner',
                    render: (r: AgreementReward) => <PartnerLink id={r.partnerId} />,
                  },
                ]
              : [
                  {
                    key: 'funder',
                    header: 'Funded by',
                    render: (r: AgreementReward) => <VendorName id={r.vendorId} />,
                  },
                ]),
            { key: 'program', header: 'Program', render: (r) => <ProgramLink id={r.programId} /> },
            { key: 'period', header: 'Period', render: (r) => r.period },
            {
              key: 'share',
              header: isVendor ? 'Your share' : 'Share',
              numeric: true,
              render: (r) => (
                <>
                  <Money minor={r.shareMinor} currency={r.currency} />{' '}
                  <span className="muted">({basisPointsText(r.basisPoints)})</span>
                </>
              ),
            },
            ...(isVendor
              ? []
              : [
                  {
                    key: 'reward',
                    header: 'Whole reward',
                    numeric: true,
                    render: (r: AgreementReward) =>
                      r.rewardMinor === null ? (
                        <Dash />
                      ) : (
                        <Money minor={r.rewardMinor} currency={r.currency} />
                      ),
                  },
                ]),
            {
              key: 'why',
              header: 'Explanation',
              render: (r) => <span className="explanation">{r.explanation}</span>,
            },
          ]}
        />
      )}
    </section>
  );
}

function GiveNotice({ a, onGiven }: { a: AgreementDetail; onGiven: (d: AgreementDetail) => void }) {
  const reasons = allowedNoticeReasons(a.terms);
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState(reasons[0] ?? '');
  const [date, setDate] = useState(() => defaultNoticeDate(a.asOf, a.effectiveFrom, a.effectiveTo));
  const [note, setNote] = useState('');
  const [dateError, setDateError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const act = useAction((body: { reason: string; date: string; note: string | null }) =>
    postSignedIn<AgreementDetail>(`/api/agreements/${encodeURIComponent(a.id)}/notice`, body),
  );
  const effective = addDaysIso(date, a.terms.noticeDays);
  // Keyboard users keep their place: the step that appears takes focus, and returns it when cancelled.
  const [focusOn, setFocusOn] = useState<'form' | 'confirm' | 'review' | 'opener' | null>(null);
  const reasonRef = useRef<HTMLSelectElement>(null);
  const confirmRef = useRef<HTMLDivElement>(null);
  const reviewRef = useRef<HTMLButtonElement>(null);
  const openerRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (focusOn === 'form') reasonRef.current?.focus();
    if (focusOn === 'confirm')
      confirmRef.current?.querySelector<HTMLButtonElement>('.button-primary')?.focus();
    if (focusOn === 'review') reviewRef.current?.focus();
    if (focusOn === 'opener') openerRef.current?.focus();
    if (focusOn !== null) setFocusOn(null);
  }, [focusOn]);

  const review = (event: FormEvent) => {
    event.preventDefault();
    act.clear();
    const problem = noticeDateProblem(date, a.asOf, a.effectiveFrom, a.effectiveTo);
    setDateError(problem);
    if (!problem) {
      setConfirming(true);
      setFocusOn('confirm');
    }
  };
  const give = async () => {
    const answer = await act.run({ reason, date, note: note.trim() ? note.trim() : null });
    if (answer === undefined) return;
    setConfirming(false);
    setOpen(false);
    if (answer) onGiven(answer);
  };

  return (
    <section className="section" aria-labelledby="agreement-notice">
      <h2 id="agreement-notice">Give notice</h2>
      {reasons.length === 0 ? (
        <Empty>This agreement has no clause that allows a party to end it by notice.</Empty>
      ) : !open ? (
        <p>
          As a party, you may give notice of termination once. It takes effect {a.terms.noticeDays} days after
          the notice day; from then no cross-vendor reward accrues.{' '}
          <button
            ref={openerRef}
            type="button"
            className="button"
            aria-expanded={false}
            onClick={() => {
              setOpen(true);
              setFocusOn('form');
            }}
          >
            Give notice…
          </button>
        </p>
      ) : (
        <form className="inline-form" aria-label="Give notice" onSubmit={review} noValidate>
          <div className="inline-form-fields">
            <div className="field">
              <label htmlFor="notice-reason">Reason</label>
              <select
                ref={reasonRef}
                id="notice-reason"
                value={reason}
                disabled={confirming}
                onChange={(e) => setReason(e.target.value)}
              >
                {reasons.map((r) => (
                  <option key={r} value={r}>
                    {NOTICE_REASON_LABELS[r] ?? r}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="notice-date">Notice day</label>
              <input
                id="notice-date"
                type="date"
                value={date}
                min={a.effectiveFrom}
                max={a.effectiveTo && a.effectiveTo < a.asOf ? a.effectiveTo : a.asOf}
                disabled={confirming}
                aria-invalid={dateError ? true : undefined}
                aria-describedby={dateError ? 'notice-date-error' : 'notice-effective'}
                onChange={(e) => setDate(e.target.value)}
              />
              {dateError && (
                <p id="notice-date-error" className="hint field-error" role="alert">
                  {dateError}
                </p>
              )}
            </div>
            <div className="field field-wide">
              <label htmlFor="notice-note">Note (optional)</label>
              <textarea
                id="notice-note"
                rows={2}
                maxLength={2000}
                value={note}
                disabled={confirming}
                onChange={(e) => setNote(e.target.value)}
              />
            </div>
          </div>
          <p id="notice-effective" className="hint" aria-live="polite">
            {effective ? (
              <>
                Takes effect on <strong data-testid="notice-effective">{effective}</strong> (the notice day +{' '}
                {a.terms.noticeDays} days).
              </>
            ) : (
              'Enter the notice day to see when it takes effect.'
            )}
          </p>
          {!confirming && (
            <p className="field-actions">
              <button ref={reviewRef} type="submit" className="button button-primary">
                Review the notice
              </button>{' '}
              <button
                type="button"
                className="button"
                onClick={() => {
                  setOpen(false);
                  setFocusOn('opener');
                }}
              >
                Cancel
              </button>
            </p>
          )}
          {confirming && (
            <div ref={confirmRef}>
              <Confirm
                question={`Give notice of termination of the ${a.name}?`}
                yes="Give notice"
                busy={act.busy}
                onYes={() => void give()}
                onCancel={() => {
                  act.clear();
                  setConfirming(false);
                  setFocusOn('review');
                }}
              >
                <p>
                  {NOTICE_REASON_LABELS[reason] ?? reason}, notice given on {date}: the agreement is
                  terminated on <strong>{effective}</strong>. No cross-vendor reward accrues from that day;
                  the other party and the partners see it. Notice is given once and cannot be withdrawn here.
                </p>
                {act.problem && <ErrorBanner problem={act.problem} />}
              </Confirm>
            </div>
          )}
        </form>
      )}
    </section>
  );
}
