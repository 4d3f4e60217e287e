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
import { formatDate, locale, plainT, useExplain, useT } from '../i18n';
import { postSignedIn, useAction, useApi, usePrograms } from '../hooks';
import {
  addDaysIso,
  agreementStatusLabel,
  agreementStatusTone,
  allowedNoticeReasons,
  basisPointsText,
  defaultNoticeDate,
  durationWords,
  noticeDateProblem,
  noticeReasonLabel,
  noticeReasonText,
} from '../lib/agreements';
import { formatPpmPercent } from '../lib/money';
import { detailPath } from '../lib/routes';
import { engagementLabel } from '../lib/engagement';
import { Link, navigate, useLocation } from '../router';
import { Trans } from 'react-i18next';
import type { AgreementDetail, AgreementReward, AgreementSummary } from './agreements-types';

type Tf = ReturnType<typeof useT>;

const STATUSES = ['draft', 'active', 'notice-given', 'terminated', 'ended'] as const;

/** A day, or "open-ended". */
function dayOrOpen(t: Tf, day: string | null | undefined): string {
  return day ? formatDate(day) : t('programs.agreements.openEnded');
}

/** "2021-11-01 to 2031-10-31", or "2021-11-01 to open-ended". */
function inForce(t: Tf, a: AgreementSummary): string {
  return a.effectiveTo
    ? t('programs.agreements.range', { from: formatDate(a.effectiveFrom), to: formatDate(a.effectiveTo) })
    : t('programs.agreements.rangeOpen', { from: formatDate(a.effectiveFrom) });
}

export function AgreementStatusBadge({ status }: { status: string }) {
  const t = useT();
  return (
    <Badge tone={agreementStatusTone(status)}>
      <span data-status={status}>{agreementStatusLabel(plainT(t), status)}</span>
    </Badge>
  );
}

/** "Dell Technologies and VMware". */
function partiesText(t: Tf, a: AgreementSummary): string {
  const names = a.parties.map((p) => p.name);
  return names.length <= 1
    ? (names[0] ?? '')
    : t('programs.agreements.andList', { first: names.slice(0, -1).join(', '), last: names.at(-1) });
}

function partyName(a: AgreementSummary, slug: string): string {
  return a.parties.find((p) => p.slug === slug)?.name ?? slug;
}

/** One sentence for the notice, if any: who, when, why, and when it takes effect. */
function NoticeText({ a }: { a: AgreementSummary }) {
  const t = useT();
  const n = a.notice;
  if (!n) return <Dash />;
  const values = {
    party: partyName(a, n.by),
    noticeDay: formatDate(n.noticeDate),
    reason: noticeReasonText(plainT(t), n.reason),
    effectiveDay: formatDate(n.effectiveDate),
  };
  const components = {
    notice: <time dateTime={n.noticeDate} />,
    effective: <time dateTime={n.effectiveDate} />,
  };
  return n.effectiveDate <= a.asOf ? (
    <Trans i18nKey="programs.agreements.noticeTerminated" values={values} components={components} />
  ) : (
    <Trans i18nKey="programs.agreements.noticeTakesEffect" values={values} components={components} />
  );
}

export function AgreementsPage() {
  const t = useT();
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
      <PageHeading title={t('programs.agreements.title')}>
        <p className="subtitle">{t('programs.agreements.intro')}</p>
      </PageHeading>
      <form
        className="filters"
        aria-label={t('programs.agreements.filter')}
        onSubmit={(e) => e.preventDefault()}
      >
        <div className="field">
          <label htmlFor="agreements-status">{t('programs.agreements.statusLabel')}</label>
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
            <option value="">{t('programs.agreements.anyStatus')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {agreementStatusLabel(plainT(t), s)}
              </option>
            ))}
          </select>
        </div>
      </form>
      {list.problem && <ErrorBanner problem={list.problem} onRetry={list.reload} />}
      {list.status === 'loading' && !list.data && <Loading what={t('programs.agreements.loading')} />}
      {list.data && items.length === 0 && (
        <Empty>
          {status ? t('programs.agreements.noneWithStatus') : t('programs.agreements.noneBindsYou')}
        </Empty>
      )}
      {items.length > 0 && (
        <DataTable<AgreementSummary>
          caption={t('programs.agreements.title')}
          rows={items}
          rowKey={(a) => a.id}
          busy={list.status === 'loading'}
          columns={[
            {
              key: 'name',
              header: t('programs.agreements.agreement'),
              render: (a) => <Link to={detailPath('agreements', a.id)}>{a.name}</Link>,
            },
            { key: 'parties', header: t('programs.agreements.parties'), render: (a) => partiesText(t, a) },
            {
              key: 'status',
              header: t('programs.agreements.statusToday'),
              render: (a) => <AgreementStatusBadge status={a.status} />,
            },
            {
              key: 'effective',
              header: t('programs.agreements.inForce'),
              render: (a) => inForce(t, a),
            },
            {
              key: 'term',
              header: t('programs.agreements.term'),
              render: (a) => durationWords(plainT(t), a.term),
            },
            {
              key: 'notice',
              header: t('programs.agreements.noticeAndTermination'),
              render: (a) => <NoticeText a={a} />,
            },
          ]}
        />
      )}
    </>
  );
}

export function AgreementDetailPage({ id }: { id: string }) {
  const t = useT();
  const state = useApi<AgreementDetail>(`/api/agreements/${encodeURIComponent(id)}`);
  const [given, setGiven] = useState<AgreementDetail | null>(null);
  const a = given ?? state.data;
  return (
    <>
      <p className="crumbs">
        <Link to="/agreements">{t('programs.agreements.back')}</Link>
      </p>
      {state.status === 'loading' && !a && <Loading />}
      {state.problem && (
        <>
          <PageHeading title={t('programs.agreements.titleOf', { id })} />
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
  const t = useT();
  const n = a.notice;
  const strong = { strong: <strong /> };
  const notice = n && {
    party: partyName(a, n.by),
    noticeDay: formatDate(n.noticeDate),
    reason: noticeReasonText(plainT(t), n.reason),
    effectiveDay: formatDate(n.effectiveDate),
  };
  if (a.status === 'terminated' && notice)
    return (
      <div className="banner banner-error agreement-state" role="status">
        <p>
          <Trans i18nKey="programs.agreements.bannerTerminated" values={notice} components={strong} />
        </p>
      </div>
    );
  if (a.status === 'notice-given' && notice)
    return (
      <div className="banner banner-warn agreement-state" role="status">
        <p>
          <Trans
            i18nKey="programs.agreements.bannerNoticeGiven"
            values={{ ...notice, through: dayOrOpen(t, a.accrualsThrough) }}
            components={strong}
          />
        </p>
      </div>
    );
  if (a.status === 'ended')
    return (
      <div className="banner banner-info agreement-state" role="status">
        <p>
          {notice ? (
            <Trans
              i18nKey="programs.agreements.bannerEndedAfterNotice"
              values={{ ...notice, to: dayOrOpen(t, a.effectiveTo) }}
              components={strong}
            />
          ) : (
            <Trans
              i18nKey="programs.agreements.bannerEnded"
              values={{ to: dayOrOpen(t, a.effectiveTo) }}
              components={strong}
            />
          )}
        </p>
      </div>
    );
  if (a.status === 'draft')
    return (
      <div className="banner banner-info agreement-state" role="status">
        <p>
          <Trans
            i18nKey="programs.agreements.bannerDraft"
            values={{ from: formatDate(a.effectiveFrom) }}
            components={strong}
          />
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
  const t = useT();
  const explain = useExplain();
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
  const terms = a.terms;
  const sr = terms.solutionReward;
  const isVendor = a.yourFunding !== null;
  return (
    <>
      <PageHeading title={a.name}>
        <p className="subtitle">
          <AgreementStatusBadge status={a.status} />{' '}
          {t('programs.agreements.between', { parties: partiesText(t, a), day: formatDate(a.asOf) })}
        </p>
      </PageHeading>
      <div role="status">
        {justGiven && a.notice && (
          <p className="banner banner-info notice-outcome">
            {t('programs.agreements.justGiven', {
              noticeDay: formatDate(a.notice.noticeDate),
              effectiveDay: formatDate(a.notice.effectiveDate),
            })}
          </p>
        )}
      </div>
      <StatusBanner a={a} />
      <Fields
        items={[
          [t('programs.agreements.statusToday'), <AgreementStatusBadge key="s" status={a.status} />],
          [t('programs.agreements.signed'), formatDate(a.signed)],
          [t('programs.agreements.inForce'), inForce(t, a)],
          [
            t('programs.agreements.term'),
            `${durationWords(plainT(t), a.term)}${a.effectiveTo ? t('programs.agreements.termTo', { day: formatDate(a.effectiveTo) }) : ''}`,
          ],
          [
            t('programs.agreements.noticePeriod'),
            t('programs.agreements.duration.days', { count: terms.noticeDays }),
          ],
          [
            t('programs.agreements.noticeAndTermination'),
            a.notice ? <NoticeText key="n" a={a} /> : t('programs.agreements.noneGiven'),
          ],
          [t('programs.agreements.accrueThrough'), dayOrOpen(t, a.accrualsThrough)],
          ...(isVendor
            ? ([
                [
                  t('programs.agreements.yourFundingShare'),
                  <strong key="f" data-testid="your-funding">
                    {basisPointsText(a.yourFunding?.basisPoints ?? 0)}
                  </strong>,
                ],
              ] as const)
            : []),
        ]}
      />

      <section className="section" aria-labelledby="agreement-parties">
        <h2 id="agreement-parties">{t('programs.agreements.partiesTitle')}</h2>
        <DataTable
          caption={t('programs.agreements.parties')}
          rows={a.parties}
          rowKey={(p) => p.slug}
          columns={[
            { key: 'name', header: t('programs.agreements.party'), render: (p) => <strong>{p.name}</strong> },
            { key: 'role', header: t('programs.agreements.role'), render: (p) => p.role },
            {
              key: 'programs',
              header: t('programs.agreements.programsBound'),
              render: (p) => (p.programs.length ? joinNodes(p.programs.map(programLink)) : <Dash />),
            },
            {
              key: 'funding',
              header: t('programs.agreements.fundingShare'),
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
        <h2 id="agreement-terms">{t('programs.agreements.terms')}</h2>
        <h3>{t('programs.agreements.continuity')}</h3>
        {terms.continuity.enabled ? (
          <p>
            {t('programs.agreements.continuityIn')}{' '}
            {terms.continuity.programs.length
              ? joinNodes(terms.continuity.programs.map(programLink))
              : t('programs.agreements.everyBoundProgram')}
            {t('programs.agreements.continuityEnd')}
          </p>
        ) : (
          <p>{t('programs.agreements.noContinuity')}</p>
        )}
        <h3>{t('programs.agreements.crossCredit')}</h3>
        {terms.continuity.crossCredit.length === 0 ? (
          <p>{t('programs.agreements.noCrossCredit')}</p>
        ) : (
          <ul>
            {terms.continuity.crossCredit.map((c) => (
              <li key={`${c.from}-${c.to}`}>
                <Trans
                  i18nKey="programs.agreements.crossCreditLine"
                  values={{
                    to: partyName(a, c.to),
                    from: partyName(a, c.from),
                    share: formatPpmPercent(c.sharePpm),
                  }}
                  components={{ strong: <strong /> }}
                />
                {c.description && <span className="muted"> {c.description}</span>}
              </li>
            ))}
          </ul>
        )}
        <h3>{t('programs.agreements.solutionRewards')}</h3>
        {sr ? (
          <>
            <p>
              <Trans
                i18nKey="programs.agreements.solutionLine"
                values={{
                  window: durationWords(plainT(t), sr.window),
                  requires: sr.requires
                    .map((r) =>
                      t('programs.agreements.requiresFrom', {
                        vendor: partyName(a, r.vendor),
                        families: r.families
                          .map((f) => engagementLabel(plainT(t), 'family', f))
                          .join(` ${t('programs.agreements.or')} `),
                      }),
                    )
                    .join('; '),
                  points: formatPpmPercent(sr.pointsPpm),
                }}
                components={{ strong: <strong /> }}
              />
            </p>
            <p>
              {t('programs.agreements.fundedBy', {
                funders: sr.funding
                  .map((f) => `${partyName(a, f.vendor)} ${basisPointsText(f.basisPoints)}`)
                  .join(', '),
              })}
              {isVendor && (
                <>
                  {' '}
                  <Trans
                    i18nKey="programs.agreements.yourShare"
                    values={{ share: basisPointsText(a.yourFunding?.basisPoints ?? 0) }}
                    components={{ strong: <strong /> }}
                  />
                </>
              )}
            </p>
          </>
        ) : (
          <p>{t('programs.agreements.none')}</p>
        )}
        <h3>{t('programs.agreements.termination')}</h3>
        <ul>
          <li>
            {t('programs.agreements.changeOfControl')}{' '}
            {terms.changeOfControl.allowsTermination
              ? t('programs.agreements.eitherParty')
              : t('programs.agreements.noTermination')}
            {terms.changeOfControl.description && (
              <span className="muted"> ({terms.changeOfControl.description})</span>
            )}
          </li>
          <li>
            {t('programs.agreements.convenience')}{' '}
            {terms.convenience.allowsTermination
              ? t('programs.agreements.eitherParty')
              : t('programs.agreements.noTermination')}
            {terms.convenience.description && (
              <span className="muted"> ({terms.convenience.description})</span>
            )}
          </li>
          <li>{t('programs.agreements.noticeTakesEffectAfter', { count: terms.noticeDays })}</li>
        </ul>
      </section>

      {a.canGiveNotice && <GiveNotice a={a} onGiven={onNoticeGiven} />}

      <section className="section" aria-labelledby="agreement-history">
        <h2 id="agreement-history">{t('programs.agreements.history')}</h2>
        {a.events.length === 0 ? (
          <Empty>{t('programs.agreements.noEvents')}</Empty>
        ) : (
          <ol className="plain-list agreement-events">
            {a.events.map((e, i) => (
              <li key={`${e.at}-${i}`}>
                <time dateTime={e.onDay}>{formatDate(e.onDay)}</time>:{' '}
                {explain(e.sentence, e.sentenceMessage)}
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
  const t = useT();
  const explain = useExplain();
  const title = isVendor ? t('programs.agreements.rewardsFunded') : t('programs.agreements.yourRewards');
  return (
    <section className="section" aria-labelledby="agreement-rewards">
      <h2 id="agreement-rewards">{title}</h2>
      <p className="muted">
        {isVendor ? t('programs.agreements.rewardsFundedHint') : t('programs.agreements.yourRewardsHint')}
      </p>
      {a.rewardTotals.length > 0 && (
        <p className="reward-totals">
          {a.rewardTotals.map((r, i) => (
            <span key={r.currency}>
              {i > 0 && '; '}
              <Money minor={r.totalMinor} currency={r.currency} />{' '}
              {t('programs.agreements.inShares', { count: r.shares })}
            </span>
          ))}
        </p>
      )}
      {a.rewards.length === 0 ? (
        <Empty>{t('programs.agreements.noRewards')}</Empty>
      ) : (
        <DataTable<AgreementReward>
          caption={title}
          rows={a.rewards}
          rowKey={(r) => r.id}
          columns={[
            {
              key: 'completed',
              header: t('programs.agreements.completedOn'),
              render: (r) => formatDate(r.completedOn),
            },
            ...(isVendor
              ? [
                  {
                    key: 'partner',
                    header: t('programs.agreements.partner'),
                    render: (r: AgreementReward) => <PartnerLink id={r.partnerId} />,
                  },
                ]
              : [
                  {
                    key: 'funder',
                    header: t('programs.agreements.fundedByHeader'),
                    render: (r: AgreementReward) => <VendorName id={r.vendorId} />,
                  },
                ]),
            {
              key: 'program',
              header: t('programs.agreements.program'),
              render: (r) => <ProgramLink id={r.programId} />,
            },
            { key: 'period', header: t('programs.agreements.period'), render: (r) => r.period },
            {
              key: 'share',
              header: isVendor ? t('programs.agreements.yourShareHeader') : t('programs.agreements.share'),
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
                    header: t('programs.agreements.wholeReward'),
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
              header: t('programs.agreements.explanation'),
              render: (r) => (
                <span className="explanation">{explain(r.explanation, r.explanationMessage)}</span>
              ),
            },
          ]}
        />
      )}
    </section>
  );
}

function GiveNotice({ a, onGiven }: { a: AgreementDetail; onGiven: (d: AgreementDetail) => void }) {
  const t = useT();
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
    const problem = noticeDateProblem(plainT(t), locale(), date, a.asOf, a.effectiveFrom, a.effectiveTo);
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
      <h2 id="agreement-notice">{t('programs.agreements.giveNotice')}</h2>
      {reasons.length === 0 ? (
        <Empty>{t('programs.agreements.noNoticeClause')}</Empty>
      ) : !open ? (
        <p>
          {t('programs.agreements.noticeExplain', { count: a.terms.noticeDays })}{' '}
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
            {t('programs.agreements.giveNoticeOpen')}
          </button>
        </p>
      ) : (
        <form
          className="inline-form"
          aria-label={t('programs.agreements.giveNotice')}
          onSubmit={review}
          noValidate
        >
          <div className="inline-form-fields">
            <div className="field">
              <label htmlFor="notice-reason">{t('programs.agreements.reasonLabel')}</label>
              <select
                ref={reasonRef}
                id="notice-reason"
                value={reason}
                disabled={confirming}
                onChange={(e) => setReason(e.target.value)}
              >
                {reasons.map((r) => (
                  <option key={r} value={r}>
                    {noticeReasonLabel(plainT(t), r)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="notice-date">{t('programs.agreements.noticeDay')}</label>
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
              <label htmlFor="notice-note">{t('programs.agreements.noteOptional')}</label>
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
              <Trans
                i18nKey="programs.agreements.effectiveHint"
                count={a.terms.noticeDays}
                values={{ day: formatDate(effective) }}
                components={{ strong: <strong data-testid="notice-effective" /> }}
              />
            ) : (
              t('programs.agreements.enterNoticeDay')
            )}
          </p>
          {!confirming && (
            <p className="field-actions">
              <button ref={reviewRef} type="submit" className="button button-primary">
                {t('programs.agreements.review')}
              </button>{' '}
              <button
                type="button"
                className="button"
                onClick={() => {
                  setOpen(false);
                  setFocusOn('opener');
                }}
              >
                {t('common.cancel')}
              </button>
            </p>
          )}
          {confirming && (
            <div ref={confirmRef}>
              <Confirm
                question={t('programs.agreements.confirmQuestion', { name: a.name })}
                yes={t('programs.agreements.giveNotice')}
                busy={act.busy}
                onYes={() => void give()}
                onCancel={() => {
                  act.clear();
                  setConfirming(false);
                  setFocusOn('review');
                }}
              >
                <p>
                  <Trans
                    i18nKey="programs.agreements.confirmBody"
                    values={{
                      reason: noticeReasonLabel(plainT(t), reason),
                      noticeDay: formatDate(date),
                      effectiveDay: effective ? formatDate(effective) : '',
                    }}
                    components={{ strong: <strong /> }}
                  />
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
