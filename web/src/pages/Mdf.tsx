/**
 * Market development funds (docs/marketing-funds.md).
 *
 * - /mdf: a partner's funds in a program (earned, available, held for approved activities, spent,
 *   expired, and what expires soon), the proposal funds open to it, and its activities; a vendor's queues
 *   (proposals to pre-approve, claims to review), its fund use by region and quarter with the return, the
 *   expiry run, and every activity.
 * - /mdf/new: a partner proposes an activity (type, dates, amount, the fund, the outcome it expects).
 * - /mdf/{id}: one activity: its facts, deadline, history, proof files, linked registrations and orders
 *   (its return), and the steps its viewer may take in its status.
 */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type { Schema } from '../api/types';
import { FileUpload } from '../components/FileUpload';
import { useFollowJob } from '../components/follow-job';
import { Confirm } from '../components/Confirm';
import { DataTable, type Column } from '../components/DataTable';
import { ListView, type FilterField } from '../components/ListPage';
import { PartnerLink, ProgramLink } from '../components/refs';
import {
  Badge,
  Dash,
  Empty,
  ErrorBanner,
  Fields,
  IsoTime,
  Loading,
  Money,
  PageHeading,
} from '../components/ui';
import { postSignedIn, useAction, useApi, useMe, usePrograms, useTitle } from '../hooks';
import { formatDate, formatMoney, formatNumber, locale, useT } from '../i18n';
import { can } from '../lib/access';
import { apiUrl, type Page, type Problem } from '../lib/api';
import {
  expiringWithin,
  MDF_STATUSES,
  missingKinds,
  partnerSteps,
  statusKey,
  statusTone,
  todayUtc,
  vendorSteps,
} from '../lib/mdf';
import { moneyInputText, parseMoneyInput } from '../lib/money';
import type { ListSpec } from '../lib/query';
import { detailPath } from '../lib/routes';
import { Link, navigate, useLocation } from '../router';
import { sendSignedIn } from './admin-api';
import type { Job } from './types';

type Activity = Schema<'MdfActivity'>;
type ActivityDetail = Schema<'MdfActivityDetail'>;
type Funds = Schema<'MdfFunds'>;
type Usage = Schema<'MdfUsage'>;
type UsageRow = Usage['items'][number];
/** What an expiry run did (the job's result, src/app/mdf/expiry.ts). */
interface ExpiryResult {
  readonly currency: string | null;
  readonly lapsed: readonly unknown[];
  readonly expiries: readonly unknown[];
  readonly expiredMinor: number;
}

const spec: ListSpec = {
  filters: ['status', 'program', 'partner', 'zone', 'period', 'fund'],
  sorts: ['createdAt', 'startsOn', 'claimDeadline'],
  defaultSort: 'createdAt',
  defaultLimit: 50,
  defaultDirection: 'desc',
};

/**
 * An MDF refusal as the person reads it: its amounts (`…Minor` params) as money of the activity's
 * currency and its statuses by name, so "overAvailable" says "$20,000.00 is more than … ($9,459.60)".
 */
function useMdfProblem() {
  const t = useT();
  return (problem: Problem | null, currency: string): Problem | null => {
    if (!problem?.params) return problem;
    const params: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(problem.params)) {
      if (k.endsWith('Minor') && typeof v === 'number') params[k] = formatMoney(v, currency);
      else if (k === 'status' && typeof v === 'string') params[k] = t(statusKey(v));
      else if (k === 'allowed' && typeof v === 'string')
        params[k] = v
          .split(', ')
          .map((x) => t(statusKey(x)))
          .join(', ');
      else params[k] = v as string | number;
    }
    return { ...problem, params };
  };
}

/** A table column of amounts (right-aligned), each row's in its currency; null reads as a dash. */
function moneyColumn<T extends { currency: string }>(
  key: string,
  header: string,
  minor: (row: T) => number | null,
): Column<T> {
  return {
    key,
    header,
    numeric: true,
    render: (row) => {
      const m = minor(row);
      return m == null ? <Dash /> : <Money minor={m} currency={row.currency} />;
    },
  };
}

function StatusBadge({ status }: { status: string }) {
  const t = useT();
  return (
    <Badge tone={statusTone(status)}>
      <span data-status={status}>{t(statusKey(status))}</span>
    </Badge>
  );
}

/** The program the page is about: `?program=` or the first program the person sees. */
function useProgramChoice(): { programId: string | null; choose: (id: string) => void; picker: ReactNode } {
  const t = useT();
  const { pathname, search } = useLocation();
  const programs = usePrograms();
  const asked = new URLSearchParams(search).get('program');
  const items = programs.data?.items ?? [];
  const programId = asked ?? items[0]?.id ?? null;
  const choose = (id: string) => {
    const q = new URLSearchParams(search);
    q.set('program', id);
    navigate(`${pathname}?${q.toString()}`, { replace: true, keepPosition: true });
  };
  // The program chosen by default is written into the address: the list below filters by it too.
  const first = items[0]?.id;
  useEffect(() => {
    if (!asked && first) choose(first);
  }, [asked, first]);
  const picker =
    items.length > 1 ? (
      <div className="field">
        <label htmlFor="mdf-program">{t('mdf.program')}</label>
        <select id="mdf-program" value={programId ?? ''} onChange={(e) => choose(e.target.value)}>
          {items.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
    ) : null;
  return { programId, choose, picker };
}

export function MdfPage() {
  const t = useT();
  useTitle(t('mdf.title'));
  const me = useMe();
  const { programId, picker } = useProgramChoice();
  const rules = useApi<Funds>(programId && can(me.data, 'readMdf') ? '/api/mdf/funds' : null, {
    programId: programId ?? '',
  });
  if (me.status === 'loading') return <Loading what={t('mdf.loading')} />;
  if (!can(me.data, 'readMdf')) return <NoMdfAccess />;
  const vendor = can(me.data, 'decideMdf') || (me.data?.vendorId != null && can(me.data, 'readMdf'));
  return (
    <>
      <PageHeading title={t('mdf.title')}>
        <p className="subtitle">{vendor ? t('mdf.introVendor') : t('mdf.introPartner')}</p>
      </PageHeading>
      {picker}
      {programId && !vendor && <PartnerFunds programId={programId} />}
      {programId && vendor && me.data?.vendorId && (
        <VendorQueues programId={programId} vendorId={me.data.vendorId} />
      )}
      <section aria-labelledby="mdf-activities">
        <h2 id="mdf-activities">{t('mdf.activities')}</h2>
        <ActivityList vendor={vendor} names={namesOf(rules.data)} />
      </section>
    </>
  );
}

/** A person whose role has no MDF access (a sales rep): said plainly, no half-page of refusals. */
function NoMdfAccess() {
  const t = useT();
  return (
    <>
      <PageHeading title={t('mdf.title')} />
      <p className="banner banner-info">{t('mdf.noAccess')}</p>
    </>
  );
}

/** The names a program gives its activity types and proposal funds, by code. */
interface MdfNames {
  readonly type: (code: string) => string;
  readonly fund: (code: string) => string | null;
}

function namesOf(f: Funds | null): MdfNames {
  const types = new Map((f?.activityTypes ?? []).map((a) => [a.code, a.name]));
  const funds = new Map((f?.proposalFunds ?? []).map((p) => [p.code, p.name]));
  return { type: (c) => types.get(c) ?? c, fund: (c) => funds.get(c) ?? null };
}

function ActivityList({ vendor, names }: { vendor: boolean; names: MdfNames }) {
  const t = useT();
  const filters: FilterField[] = [
    {
      name: 'status',
      label: t('mdf.statusLabel'),
      kind: 'select',
      options: MDF_STATUSES.map((s) => ({ value: s, label: t(statusKey(s)) })),
    },
    { name: 'period', label: t('mdf.quarter'), kind: 'text', placeholder: 'FY27-Q3' },
    ...(vendor
      ? [
          { name: 'zone', label: t('mdf.zone'), kind: 'text' as const },
          { name: 'partner', label: t('mdf.partner'), kind: 'name' as const, source: '/api/partners' },
        ]
      : []),
  ];
  return (
    <ListView<Activity>
      title={t('mdf.activities')}
      path="/mdf"
      endpoint="/api/mdf/activities"
      spec={spec}
      noun="activity"
      filters={filters}
      rowKey={(a) => a.id}
      columns={[
        {
          key: 'title',
          header: t('mdf.activity'),
          render: (a) => <Link to={detailPath('mdf', a.id)}>{a.title}</Link>,
        },
        ...(vendor
          ? [
              {
                key: 'partner',
                header: t('mdf.partner'),
                render: (a: Activity) => <PartnerLink id={a.partnerId} />,
              },
            ]
          : []),
        { key: 'type', header: t('mdf.type'), render: (a) => names.type(a.type) },
        {
          key: 'startsOn',
          header: t('mdf.dates'),
          sort: 'startsOn',
          render: (a) => t('mdf.fromTo', { from: formatDate(a.startsOn), to: formatDate(a.endsOn) }),
        },
        {
          key: 'fund',
          header: t('mdf.fund'),
          render: (a) => (a.fund === 'earned' ? t('mdf.earned') : (names.fund(a.fund) ?? a.fund)),
        },
        moneyColumn<Activity>('requested', t('mdf.requested'), (a) => a.requestedMinor),
        {
          key: 'approved',
          header: t('mdf.preapproved'),
          numeric: true,
          render: (a) =>
            a.preapprovedMinor == null ? (
              <Dash />
            ) : (
              <Money minor={a.preapprovedMinor} currency={a.currency} />
            ),
        },
        moneyColumn<Activity>('paid', t('mdf.paid'), (a) => a.paidMinor),
        { key: 'status', header: t('mdf.statusLabel'), render: (a) => <StatusBadge status={a.status} /> },
        {
          key: 'claimDeadline',
          header: t('mdf.claimBy'),
          sort: 'claimDeadline',
          render: (a) => formatDate(a.claimDeadline),
        },
      ]}
    />
  );
}

// --- the partner's funds ------------------------------------------------------------------------------

function PartnerFunds({ programId }: { programId: string }) {
  const t = useT();
  const funds = useApi<Funds>('/api/mdf/funds', { programId });
  if (funds.status === 'loading' && !funds.data) return <Loading what={t('mdf.loadingFunds')} />;
  if (funds.problem)
    return funds.problem.status === 400 ? (
      <p className="muted">{t('mdf.noFundsHere')}</p>
    ) : (
      <ErrorBanner problem={funds.problem} onRetry={funds.reload} />
    );
  const f = funds.data;
  if (!f) return null;
  return (
    <section aria-labelledby="mdf-funds">
      <h2 id="mdf-funds">{t('mdf.myFunds')}</h2>
      <FundsSummary funds={f} />
      <p>
        <Link className="button button-primary" to={`/mdf/new?program=${encodeURIComponent(programId)}`}>
          {t('mdf.propose')}
        </Link>
      </p>
    </section>
  );
}

/** A partner's earned funds and the proposal funds open to it (also on the partner's home). */
export function FundsSummary({ funds: f }: { funds: Funds }) {
  const t = useT();
  const e = f.earned;
  const soon = e ? expiringWithin(e.expiringSoon, f.asOf, 90) : [];
  return (
    <>
      {e && soon.length > 0 && (
        <div className="banner banner-warn" role="note">
          {soon.map((s) => (
            <p key={s.on}>
              {t('mdf.expiresOn', { amount: formatMoney(s.amountMinor, e.currency), day: formatDate(s.on) })}
            </p>
          ))}
        </div>
      )}
      {e ? (
        <Fields
          items={[
            [t('mdf.available'), <Money key="a" minor={e.availableMinor} currency={e.currency} />],
            [t('mdf.reserved'), <Money key="r" minor={e.reservedMinor} currency={e.currency} />],
            [t('mdf.spent'), <Money key="s" minor={e.spentMinor} currency={e.currency} />],
            [t('mdf.expired'), <Money key="x" minor={e.expiredMinor} currency={e.currency} />],
            [t('mdf.earnedSoFar'), <Money key="e" minor={e.earnedMinor} currency={e.currency} />],
            [t('mdf.pending'), <Money key="p" minor={e.pending} currency={e.currency} />],
          ]}
        />
      ) : null}
      {f.proposalFunds.length > 0 && (
        <DataTable
          caption={t('mdf.proposalFunds', { period: f.proposalFunds[0]?.period ?? '' })}
          rows={f.proposalFunds}
          rowKey={(p) => `${p.code}/${p.period}`}
          columns={[
            { key: 'name', header: t('mdf.fund'), render: (p) => p.name },
            { key: 'period', header: t('mdf.period'), render: (p) => p.period },
            {
              key: 'amount',
              header: t('mdf.budget'),
              numeric: true,
              render: (p) => <Money minor={p.amountMinor} currency={p.currency} />,
            },
            {
              key: 'left',
              header: t('mdf.left'),
              numeric: true,
              render: (p) => <Money minor={p.leftMinor} currency={p.currency} />,
            },
          ]}
        />
      )}
      {f.activityTypes.length > 0 && (
        <details>
          <summary>{t('mdf.typesAndProof')}</summary>
          <ul>
            {f.activityTypes.map((a) => (
              <li key={a.code}>
                <strong>{a.name}</strong> ({a.code}):{' '}
                {a.proof.length
                  ? t('mdf.proofNeeded', { kinds: a.proof.join(', ') })
                  : t('mdf.noProofNeeded')}
              </li>
            ))}
          </ul>
          {f.claimWithin && (
            <p className="hint">
              {t('mdf.claimWithin', {
                months: formatNumber(f.claimWithin.months),
                days: formatNumber(f.claimWithin.days),
              })}
            </p>
          )}
        </details>
      )}
    </>
  );
}

// --- the vendor's queues and reports ------------------------------------------------------------------

function VendorQueues({ programId, vendorId }: { programId: string; vendorId: string }) {
  const t = useT();
  const me = useMe();
  const proposals = useApi<Page<Activity>>('/api/mdf/activities', {
    program: programId,
    status: 'proposed',
    sort: 'createdAt',
    limit: 20,
  });
  const claims = useApi<Page<Activity>>('/api/mdf/activities', {
    program: programId,
    status: 'claimed',
    sort: 'claimDeadline',
    limit: 20,
  });
  const usage = useApi<Usage>(`/api/vendors/${encodeURIComponent(vendorId)}/mdf/usage`, { programId });
  const job = useFollowJob<ExpiryResult>();
  const [confirming, setConfirming] = useState(false);
  const expiry = useAction(async () => {
    setConfirming(false);
    const started = await postSignedIn<Job<ExpiryResult>>(
      `/api/programs/${encodeURIComponent(programId)}/mdf/expiry`,
      {},
    );
    if (started) await job.follow(started);
    usage.reload();
    return true;
  });
  const queue = (title: string, state: typeof proposals, empty: string) => (
    <section aria-label={title}>
      <h3>{title}</h3>
      {state.problem && <ErrorBanner problem={state.problem} onRetry={state.reload} />}
      {state.data && state.data.items.length === 0 && <Empty>{empty}</Empty>}
      {state.data && state.data.items.length > 0 && (
        <DataTable<Activity>
          caption={title}
          rows={state.data.items}
          rowKey={(a) => a.id}
          columns={[
            {
              key: 'title',
              header: t('mdf.activity'),
              render: (a) => <Link to={detailPath('mdf', a.id)}>{a.title}</Link>,
            },
            { key: 'partner', header: t('mdf.partner'), render: (a) => <PartnerLink id={a.partnerId} /> },
            { key: 'zone', header: t('mdf.zone'), render: (a) => a.zone },
            {
              key: 'amount',
              header: t('mdf.amount'),
              numeric: true,
              render: (a) => (
                <Money
                  minor={a.status === 'claimed' ? (a.claimedMinor ?? 0) : a.requestedMinor}
                  currency={a.currency}
                />
              ),
            },
            { key: 'ends', header: t('mdf.endsOn'), render: (a) => formatDate(a.endsOn) },
          ]}
        />
      )}
    </section>
  );
  return (
    <>
      <section aria-labelledby="mdf-queues">
        <h2 id="mdf-queues">{t('mdf.queues')}</h2>
        {queue(t('mdf.toPreapprove'), proposals, t('mdf.noProposals'))}
        {queue(t('mdf.toReview'), claims, t('mdf.noClaims'))}
      </section>
      <section aria-labelledby="mdf-usage">
        <h2 id="mdf-usage">{t('mdf.usage')}</h2>
        <p className="hint">{t('mdf.usageHint')}</p>
        {usage.problem && <ErrorBanner problem={usage.problem} onRetry={usage.reload} />}
        {usage.data && usage.data.items.length === 0 && <Empty>{t('mdf.noUsage')}</Empty>}
        {usage.data && usage.data.items.length > 0 && (
          <DataTable
            caption={t('mdf.usage')}
            rows={usage.data.items}
            rowKey={(u) => `${u.zone}/${u.quarter}/${u.currency}`}
            columns={[
              { key: 'zone', header: t('mdf.zone'), render: (u) => u.zone },
              { key: 'quarter', header: t('mdf.quarter'), render: (u) => u.quarter },
              {
                key: 'n',
                header: t('mdf.activities'),
                numeric: true,
                render: (u) => formatNumber(u.activities),
              },
              moneyColumn<UsageRow>('requested', t('mdf.requested'), (u) => u.requestedMinor),
              moneyColumn<UsageRow>('approved', t('mdf.preapproved'), (u) => u.approvedMinor),
              moneyColumn<UsageRow>('paid', t('mdf.paid'), (u) => u.paidMinor),
              moneyColumn<UsageRow>('expired', t('mdf.expired'), (u) => u.expiredMinor),
              {
                key: 'registrations',
                header: t('mdf.registrations'),
                numeric: true,
                render: (u) => formatNumber(u.registrations),
              },
              moneyColumn<UsageRow>('revenue', t('mdf.revenue'), (u) => u.orderRevenueMinor),
              {
                key: 'roi',
                header: t('mdf.roi'),
                numeric: true,
                render: (u) =>
                  u.revenuePerSpent == null ? (
                    <Dash />
                  ) : (
                    formatNumber(u.revenuePerSpent, { maximumFractionDigits: 2 })
                  ),
              },
            ]}
          />
        )}
        {can(me.data, 'runMdfExpiry') && (
          <p>
            <button
              type="button"
              className="button"
              disabled={expiry.busy || job.running}
              onClick={() => setConfirming(true)}
            >
              {t('mdf.runExpiry')}
            </button>{' '}
            <span className="hint">{t('mdf.runExpiryHint')}</span>
          </p>
        )}
        {confirming && (
          <Confirm
            question={t('mdf.expiryQuestion')}
            yes={t('mdf.runExpiry')}
            busy={expiry.busy}
            onYes={() => void expiry.run()}
            onCancel={() => setConfirming(false)}
          >
            <p>{t('mdf.runExpiryHint')}</p>
          </Confirm>
        )}
        {expiry.problem && <ErrorBanner problem={expiry.problem} />}
        {job.job && (
          <p role="status" className="banner banner-info">
            {job.running
              ? t('mdf.expiryRunning')
              : job.job.result
                ? t('mdf.expiryResult', {
                    lapsed: formatNumber(job.job.result.lapsed.length),
                    amount: formatMoney(job.job.result.expiredMinor, job.job.result.currency ?? 'USD'),
                    postings: formatNumber(job.job.result.expiries.length),
                  })
                : t('mdf.expiryDone', { status: job.job.status })}
          </p>
        )}
      </section>
    </>
  );
}

// --- propose ------------------------------------------------------------------------------------------

export function ProposeActivityPage() {
  const me = useMe();
  if (me.status === 'loading') return <Loading />;
  if (!can(me.data, 'proposeMdf')) return <NoMdfAccess />;
  return <ProposeActivityForm />;
}

function ProposeActivityForm() {
  const mdfProblem = useMdfProblem();
  const t = useT();
  useTitle(t('mdf.proposeTitle'));
  const { programId, picker } = useProgramChoice();
  const funds = useApi<Funds>(programId ? '/api/mdf/funds' : null, programId ? { programId } : {});
  const f = funds.data;
  const currency = f?.earned?.currency ?? f?.proposalFunds[0]?.currency ?? 'USD';
  const [v, setV] = useState({
    type: '',
    title: '',
    description: '',
    startsOn: '',
    endsOn: '',
    amount: '',
    fund: 'earned',
    outcome: '',
    revenue: '',
    registrations: '',
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set = (k: keyof typeof v) => (value: string) => setV((x) => ({ ...x, [k]: value }));
  const act = useAction(async (body: Record<string, unknown>) =>
    postSignedIn<Activity>('/api/mdf/activities', body),
  );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    const amount = parseMoneyInput(v.amount, currency);
    if (!amount.ok) found.amount = amount.message;
    else if (amount.minor <= 0) found.amount = t('mdf.positive');
    const revenue = v.revenue.trim() ? parseMoneyInput(v.revenue, currency) : null;
    if (revenue && !revenue.ok) found.revenue = revenue.message;
    if (!v.title.trim()) found.title = t('mdf.required');
    if (!v.type) found.type = t('mdf.required');
    if (!v.startsOn) found.startsOn = t('mdf.required');
    if (!v.endsOn) found.endsOn = t('mdf.required');
    if (v.startsOn && v.endsOn && v.endsOn < v.startsOn) found.endsOn = t('mdf.endsBeforeStarts');
    const registrations = v.registrations.trim() ? Number(v.registrations) : null;
    if (registrations !== null && (!Number.isInteger(registrations) || registrations < 0))
      found.registrations = t('mdf.wholeNumber');
    setErrors(found);
    if (Object.keys(found).length > 0 || !programId || !amount.ok) return;
    const created = await act.run({
      programId,
      type: v.type,
      title: v.title.trim(),
      ...(v.description.trim() ? { description: v.description.trim() } : {}),
      ...(v.outcome.trim() ? { expectedOutcome: v.outcome.trim() } : {}),
      ...(revenue?.ok ? { expectedRevenueMinor: revenue.minor } : {}),
      ...(registrations !== null ? { expectedRegistrations: registrations } : {}),
      startsOn: v.startsOn,
      endsOn: v.endsOn,
      amountMinor: amount.minor,
      fund: v.fund,
    });
    if (created) navigate(detailPath('mdf', created.id));
  };

  const field = (k: keyof typeof v, label: string, input: ReactNode, hint?: string) => (
    <div className="field">
      <label htmlFor={`mdf-${k}`}>{label}</label>
      {input}
      {hint && <small className="hint">{hint}</small>}
      {errors[k] && (
        <p id={`mdf-${k}-error`} className="hint field-error" role="alert">
          {errors[k]}
        </p>
      )}
    </div>
  );
  const text = (k: keyof typeof v, type: 'text' | 'date' = 'text', extra: Record<string, unknown> = {}) => (
    <input
      id={`mdf-${k}`}
      type={type}
      autoComplete="off"
      value={v[k]}
      aria-invalid={errors[k] ? true : undefined}
      aria-describedby={errors[k] ? `mdf-${k}-error` : undefined}
      onChange={(e) => set(k)(e.target.value)}
      {...extra}
    />
  );

  return (
    <>
      <p className="crumbs">
        <Link to="/mdf">{t('mdf.back')}</Link>
      </p>
      <PageHeading title={t('mdf.proposeTitle')}>
        <p className="subtitle">{t('mdf.proposeIntro')}</p>
      </PageHeading>
      {picker}
      {funds.problem && <ErrorBanner problem={funds.problem} />}
      {f?.earned && (
        <p className="banner banner-info">
          {t('mdf.availableNow', { amount: formatMoney(f.earned.availableMinor, f.earned.currency) })}
        </p>
      )}
      {f && (
        <form className="form" onSubmit={submit} noValidate aria-label={t('mdf.proposeTitle')}>
          {field(
            'type',
            t('mdf.type'),
            <select id="mdf-type" value={v.type} onChange={(e) => set('type')(e.target.value)}>
              <option value="">{t('mdf.chooseType')}</option>
              {f.activityTypes.map((a) => (
                <option key={a.code} value={a.code}>
                  {a.name}
                </option>
              ))}
            </select>,
            v.type
              ? t('mdf.proofNeeded', {
                  kinds: f.activityTypes.find((a) => a.code === v.type)?.proof.join(', ') || '—',
                })
              : undefined,
          )}
          {field('title', t('mdf.titleLabel'), text('title', 'text', { maxLength: 200 }))}
          {field(
            'description',
            t('mdf.description'),
            <textarea
              id="mdf-description"
              rows={3}
              maxLength={4000}
              value={v.description}
              onChange={(e) => set('description')(e.target.value)}
            />,
          )}
          {field('startsOn', t('mdf.startsOn'), text('startsOn', 'date'))}
          {field('endsOn', t('mdf.endsOn'), text('endsOn', 'date'))}
          {field('amount', t('mdf.amountIn', { currency }), text('amount', 'text', { inputMode: 'decimal' }))}
          {field(
            'fund',
            t('mdf.fund'),
            <select id="mdf-fund" value={v.fund} onChange={(e) => set('fund')(e.target.value)}>
              <option value="earned">{t('mdf.earnedFund')}</option>
              {f.proposalFunds.map((p) => (
                <option key={p.code} value={p.code}>
                  {t('mdf.proposalFundOption', {
                    name: p.name,
                    left: formatMoney(p.leftMinor, p.currency),
                    period: p.period,
                  })}
                </option>
              ))}
            </select>,
          )}
          {field(
            'outcome',
            t('mdf.expectedOutcome'),
            <textarea
              id="mdf-outcome"
              rows={2}
              maxLength={2000}
              value={v.outcome}
              onChange={(e) => set('outcome')(e.target.value)}
            />,
          )}
          {field(
            'revenue',
            t('mdf.expectedRevenue', { currency }),
            text('revenue', 'text', { inputMode: 'decimal' }),
          )}
          {field(
            'registrations',
            t('mdf.expectedRegistrations'),
            text('registrations', 'text', { inputMode: 'numeric' }),
          )}
          {act.problem && <ErrorBanner problem={mdfProblem(act.problem, currency) ?? act.problem} />}
          <p>
            <button type="submit" className="button button-primary" disabled={act.busy}>
              {t('mdf.submitProposal')}
            </button>
          </p>
        </form>
      )}
    </>
  );
}

// --- one activity -------------------------------------------------------------------------------------

export function MdfActivityPage({ id }: { id: string }) {
  const t = useT();
  const me = useMe();
  const state = useApi<ActivityDetail>(`/api/mdf/activities/${encodeURIComponent(id)}`);
  const a = state.data;
  useTitle(a ? a.title : t('mdf.title'));
  const [done, setDone] = useState<string | null>(null);
  const changed = (text: string) => {
    setDone(text);
    state.reload();
  };
  const partner = me.data?.partnerId != null && can(me.data, 'proposeMdf');
  const vendor = can(me.data, 'decideMdf');
  const today = todayUtc();
  return (
    <>
      <p className="crumbs">
        <Link to="/mdf">{t('mdf.back')}</Link>
      </p>
      {state.status === 'loading' && !a && <Loading what={t('mdf.loading')} />}
      {state.problem && (
        <>
          <PageHeading title={t('mdf.activity')} />
          <ErrorBanner problem={state.problem} onRetry={state.reload} />
        </>
      )}
      {a && (
        <>
          <PageHeading title={a.title}>
            <p className="subtitle">
              <StatusBadge status={a.status} /> · <ProgramLink id={a.programId} /> ·{' '}
              <PartnerLink id={a.partnerId} /> · <code>{a.id}</code>
            </p>
          </PageHeading>
          <div role="status">{done && <p className="banner banner-info">{done}</p>}</div>
          {a.decisionReason && (a.status === 'refused' || a.status === 'claim-rejected') && (
            <div className="banner banner-warn" role="note">
              <p>
                <strong>
                  {a.status === 'refused' ? t('mdf.refusedBecause') : t('mdf.claimRejectedBecause')}
                </strong>{' '}
                {a.decisionReason}
              </p>
            </div>
          )}
          <Fields
            items={[
              [t('mdf.type'), a.typeName ?? a.type],
              [t('mdf.dates'), t('mdf.fromTo', { from: formatDate(a.startsOn), to: formatDate(a.endsOn) })],
              [
                t('mdf.fund'),
                a.fund === 'earned' ? t('mdf.earnedFund') : `${a.fund} (${a.fundPeriod ?? ''})`,
              ],
              [t('mdf.zone'), a.zone],
              [t('mdf.requested'), <Money key="r" minor={a.requestedMinor} currency={a.currency} />],
              [
                t('mdf.preapproved'),
                a.preapprovedMinor == null ? null : (
                  <Money key="p" minor={a.preapprovedMinor} currency={a.currency} />
                ),
              ],
              [
                t('mdf.claimed'),
                a.claimedMinor == null ? null : (
                  <Money key="c" minor={a.claimedMinor} currency={a.currency} />
                ),
              ],
              [
                t('mdf.paid'),
                a.paidMinor == null ? null : <Money key="d" minor={a.paidMinor} currency={a.currency} />,
              ],
              [
                t('mdf.claimBy'),
                <span key="dl">
                  {formatDate(a.deadline.on)}
                  {['preapproved', 'claim-rejected'].includes(a.status) && (
                    <>
                      {' · '}
                      {a.deadline.passed
                        ? t('mdf.deadlinePassed')
                        : t('mdf.daysLeft', { count: a.deadline.daysLeft })}
                    </>
                  )}
                </span>,
              ],
              [
                t('mdf.requiredProof'),
                a.requiredProof.length ? a.requiredProof.join(', ') : t('mdf.noProofNeeded'),
              ],
              [t('mdf.expectedOutcome'), a.expectedOutcome.text || null],
              [
                t('mdf.expectedRevenueShort'),
                a.expectedOutcome.revenueMinor == null ? null : (
                  <Money key="er" minor={a.expectedOutcome.revenueMinor} currency={a.currency} />
                ),
              ],
              [
                t('mdf.expectedRegistrations'),
                a.expectedOutcome.registrations == null
                  ? null
                  : formatNumber(a.expectedOutcome.registrations),
              ],
              [t('mdf.description'), a.description || null],
              [t('mdf.ledger'), a.ledgerTransactionId ? <code key="l">{a.ledgerTransactionId}</code> : null],
            ]}
          />
          {vendor && <VendorSteps a={a} onDone={changed} />}
          {partner && <PartnerSteps a={a} today={today} onDone={changed} />}
          <Returns a={a} editable={partner} onDone={changed} />
          <section aria-labelledby="mdf-files">
            <h2 id="mdf-files">{t('mdf.proofFiles')}</h2>
            {a.files.length === 0 ? (
              <Empty>{t('mdf.noFiles')}</Empty>
            ) : (
              <ul>
                {a.files.map((file) => (
                  <li key={`${file.claimSeq}/${file.fileId}`}>
                    {t('mdf.claimNo', { n: file.claimSeq })} · {file.kind} · <FileLink id={file.fileId} />
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby="mdf-history">
            <h2 id="mdf-history">{t('mdf.history')}</h2>
            <DataTable
              caption={t('mdf.history')}
              rows={a.history}
              rowKey={(h) => String(h.seq)}
              columns={[
                { key: 'at', header: t('mdf.when'), render: (h) => <IsoTime value={h.at} /> },
                { key: 'action', header: t('mdf.step'), render: (h) => t(`mdf.steps.${h.action}`) },
                {
                  key: 'status',
                  header: t('mdf.statusLabel'),
                  render: (h) => <StatusBadge status={h.status} />,
                },
                {
                  key: 'amount',
                  header: t('mdf.amount'),
                  numeric: true,
                  render: (h) =>
                    h.amountMinor == null ? <Dash /> : <Money minor={h.amountMinor} currency={a.currency} />,
                },
                { key: 'reason', header: t('mdf.reason'), render: (h) => h.reason ?? <Dash /> },
              ]}
            />
          </section>
        </>
      )}
    </>
  );
}

/** A proof file by its name, linking to its bytes (a download). */
function FileLink({ id }: { id: string }) {
  const file = useApi<{ fileName: string; sizeBytes: number }>(
    `/api/files/${encodeURIComponent(id)}`,
    {},
    { cache: true },
  );
  return (
    <a href={apiUrl(`/api/files/${encodeURIComponent(id)}/content`)} download title={id}>
      {file.data?.fileName ?? id}
    </a>
  );
}

/** Money typed in the person's locale, refused with its reason (never scaled). */
function useAmount(currency: string, initial: number | null) {
  const [text, setText] = useState(initial == null ? '' : moneyInputText(initial, currency, locale()));
  const parse = (): { ok: true; minor: number } | { ok: false; message: string } => {
    const r = parseMoneyInput(text, currency);
    if (!r.ok) return { ok: false, message: r.message };
    return { ok: true, minor: r.minor };
  };
  return { text, setText, parse };
}

function VendorSteps({ a, onDone }: { a: ActivityDetail; onDone: (text: string) => void }) {
  const mdfProblem = useMdfProblem();
  const t = useT();
  const steps = vendorSteps(a);
  const [step, setStep] = useState<'yes' | 'no' | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const amount = useAmount(a.currency, steps.claim ? a.claimedMinor : a.requestedMinor);
  // What the fund holds today, so the vendor decides knowing it (the partner's earned MDF or the fund).
  const funds = useApi<Funds>(steps.proposal ? '/api/mdf/funds' : null, {
    programId: a.programId,
    partnerId: a.partnerId,
  });
  const holds =
    a.fund === 'earned'
      ? (funds.data?.earned?.availableMinor ?? null)
      : (funds.data?.proposalFunds.find((f) => f.code === a.fund && f.period === a.fundPeriod)?.leftMinor ??
        null);
  const act = useAction((body: Record<string, unknown>) =>
    postSignedIn<Activity>(`/api/mdf/activities/${encodeURIComponent(a.id)}/decisions`, body),
  );
  if (!steps.proposal && !steps.claim) return null;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (step === 'no') {
      if (!reason.trim()) return setError(t('mdf.reasonRequired'));
      const r = await act.run({ action: steps.claim ? 'reject' : 'refuse', reason: reason.trim() });
      if (r) onDone(steps.claim ? t('mdf.done.rejected') : t('mdf.done.refused'));
      return;
    }
    const parsed = amount.parse();
    if (!parsed.ok) return setError(parsed.message);
    // Paying less than claimed is explained to the partner.
    if (steps.claim && parsed.minor < (a.claimedMinor ?? 0) && !reason.trim())
      return setError(t('mdf.sayWhyLess'));
    const r = await act.run({
      action: steps.claim ? 'approve' : 'preapprove',
      amountMinor: parsed.minor,
      ...(reason.trim() ? { reason: reason.trim() } : {}),
    });
    if (r) onDone(steps.claim ? t('mdf.done.approved') : t('mdf.done.preapproved'));
  };
  return (
    <section aria-labelledby="mdf-decide">
      <h2 id="mdf-decide">{steps.claim ? t('mdf.reviewClaim') : t('mdf.decideProposal')}</h2>
      <p>
        <button type="button" className="button button-primary" onClick={() => setStep('yes')}>
          {steps.claim ? t('mdf.approveClaim') : t('mdf.preapprove')}
        </button>{' '}
        <button type="button" className="button" onClick={() => setStep('no')}>
          {steps.claim ? t('mdf.rejectClaim') : t('mdf.refuse')}
        </button>
      </p>
      {step && (
        <form className="inline-form" onSubmit={submit} noValidate aria-label={t('mdf.decision')}>
          {step === 'yes' && (
            <div className="field">
              <label htmlFor="mdf-decide-amount">{t('mdf.amountIn', { currency: a.currency })}</label>
              <input
                id="mdf-decide-amount"
                type="text"
                inputMode="decimal"
                autoComplete="off"
                value={amount.text}
                onChange={(e) => amount.setText(e.target.value)}
              />
              <small className="hint">
                {steps.claim
                  ? t('mdf.approveHint', { amount: formatMoney(a.claimedMinor ?? 0, a.currency) })
                  : t('mdf.preapproveHint', { amount: formatMoney(a.requestedMinor, a.currency) })}
              </small>
              {steps.proposal && holds !== null && (
                <p className="hint">
                  {t(a.fund === 'earned' ? 'mdf.partnerHolds' : 'mdf.fundHolds', {
                    amount: formatMoney(holds, a.currency),
                  })}
                </p>
              )}
            </div>
          )}
          <div className="field field-wide">
            <label htmlFor="mdf-decide-reason">{step === 'no' ? t('mdf.reason') : t('mdf.note')}</label>
            <textarea
              id="mdf-decide-reason"
              rows={2}
              maxLength={2000}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          </div>
          {error && (
            <p className="hint field-error" role="alert">
              {error}
            </p>
          )}
          {act.problem && <ErrorBanner problem={mdfProblem(act.problem, a.currency) ?? act.problem} />}
          <p>
            <button type="submit" className="button button-primary" disabled={act.busy}>
              {t('mdf.confirm')}
            </button>{' '}
            <button type="button" className="button" onClick={() => setStep(null)}>
              {t('common.cancel')}
            </button>
          </p>
        </form>
      )}
    </section>
  );
}

type ChosenFile = { fileId: string; fileName: string; kind: string };

function PartnerSteps({
  a,
  today,
  onDone,
}: {
  a: ActivityDetail;
  today: string;
  onDone: (text: string) => void;
}) {
  const t = useT();
  const mdfProblem = useMdfProblem();
  const steps = partnerSteps({ status: a.status, endsOn: a.endsOn, claimDeadline: a.deadline.on }, today);
  const [claiming, setClaiming] = useState(false);
  const [withdrawing, setWithdrawing] = useState(false);
  const [files, setFiles] = useState<ChosenFile[]>([]);
  const [kind, setKind] = useState(a.requiredProof[0] ?? 'invoice');
  const [error, setError] = useState<string | null>(null);
  const amount = useAmount(a.currency, a.preapprovedMinor);
  const claim = useAction((body: Record<string, unknown>) =>
    postSignedIn<Activity>(`/api/mdf/activities/${encodeURIComponent(a.id)}/claims`, body),
  );
  const withdraw = useAction(() =>
    postSignedIn<Activity>(`/api/mdf/activities/${encodeURIComponent(a.id)}/withdraw`, {}),
  );
  if (!steps.claim && !steps.withdraw && !steps.claimNotYet && !steps.claimTooLate) return null;
  const missing = missingKinds(a.requiredProof, files);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const parsed = amount.parse();
    if (!parsed.ok) return setError(parsed.message);
    if (missing.length) return setError(t('mdf.missingProof', { kinds: missing.join(', ') }));
    const r = await claim.run({
      amountMinor: parsed.minor,
      files: files.map((f) => ({ fileId: f.fileId, kind: f.kind })),
    });
    if (r) {
      setClaiming(false);
      setFiles([]);
      onDone(t('mdf.done.claimed'));
    }
  };
  const kinds = [...new Set([...a.requiredProof, 'invoice', 'other'])];
  return (
    <section aria-labelledby="mdf-steps">
      <h2 id="mdf-steps">{t('mdf.yourSteps')}</h2>
      {steps.claimNotYet && <p className="hint">{t('mdf.claimFrom', { day: formatDate(a.endsOn) })}</p>}
      {steps.claimTooLate && (
        <p className="banner banner-warn">{t('mdf.claimTooLate', { day: formatDate(a.deadline.on) })}</p>
      )}
      <p>
        {steps.claim && (
          <button type="button" className="button button-primary" onClick={() => setClaiming((c) => !c)}>
            {t('mdf.claim')}
          </button>
        )}{' '}
        {steps.withdraw && (
          <button type="button" className="button" onClick={() => setWithdrawing(true)}>
            {t('mdf.withdraw')}
          </button>
        )}
      </p>
      {withdrawing && (
        <Confirm
          question={t('mdf.withdrawQuestion')}
          yes={t('mdf.withdraw')}
          busy={withdraw.busy}
          onCancel={() => setWithdrawing(false)}
          onYes={() =>
            void withdraw.run().then((r) => {
              setWithdrawing(false);
              if (r) onDone(t('mdf.done.withdrawn'));
            })
          }
        >
          <p>{t('mdf.withdrawWhat')}</p>
        </Confirm>
      )}
      {withdraw.problem && (
        <ErrorBanner problem={mdfProblem(withdraw.problem, a.currency) ?? withdraw.problem} />
      )}
      {claiming && (
        <form className="form" onSubmit={submit} noValidate aria-label={t('mdf.claim')}>
          <div className="field">
            <label htmlFor="mdf-claim-amount">{t('mdf.amountIn', { currency: a.currency })}</label>
            <input
              id="mdf-claim-amount"
              type="text"
              inputMode="decimal"
              autoComplete="off"
              value={amount.text}
              onChange={(e) => amount.setText(e.target.value)}
            />
            <small className="hint">
              {t('mdf.claimHint', { amount: formatMoney(a.preapprovedMinor ?? 0, a.currency) })}
            </small>
          </div>
          <div className="field">
            <label htmlFor="mdf-claim-kind">{t('mdf.proofKind')}</label>
            <select id="mdf-claim-kind" value={kind} onChange={(e) => setKind(e.target.value)}>
              {kinds.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          </div>
          <FileUpload
            purpose="mdf-proof"
            vendorId={a.vendorId}
            label={t('mdf.proofFile', { kind })}
            onUploaded={(stored) =>
              setFiles((fs) => [...fs, { fileId: stored.id, fileName: stored.fileName, kind }])
            }
          />
          {files.length > 0 && (
            <ul aria-label={t('mdf.attached')}>
              {files.map((f) => (
                <li key={f.fileId}>
                  {f.kind}: {f.fileName}{' '}
                  <button
                    type="button"
                    className="button button-small"
                    onClick={() => setFiles((fs) => fs.filter((x) => x.fileId !== f.fileId))}
                  >
                    {t('mdf.remove')}
                  </button>
                </li>
              ))}
            </ul>
          )}
          {missing.length > 0 && (
            <p className="hint">{t('mdf.stillNeeded', { kinds: missing.join(', ') })}</p>
          )}
          {error && (
            <p className="hint field-error" role="alert">
              {error}
            </p>
          )}
          {claim.problem && <ErrorBanner problem={mdfProblem(claim.problem, a.currency) ?? claim.problem} />}
          <p>
            <button type="submit" className="button button-primary" disabled={claim.busy}>
              {t('mdf.sendClaim')}
            </button>
          </p>
        </form>
      )}
    </section>
  );
}

/** What the activity brought: linked registrations and orders, and the revenue per unit paid. */
function Returns({
  a,
  editable,
  onDone,
}: {
  a: ActivityDetail;
  editable: boolean;
  onDone: (text: string) => void;
}) {
  const t = useT();
  const mdfProblem = useMdfProblem();
  const [kind, setKind] = useState<'registration' | 'order'>('registration');
  const [target, setTarget] = useState('');
  const link = useAction((body: { kind: string; targetId: string }) =>
    postSignedIn<ActivityDetail>(`/api/mdf/activities/${encodeURIComponent(a.id)}/links`, body),
  );
  const unlink = useAction((kind: string, targetId: string) =>
    sendSignedIn(
      'DELETE',
      `/api/mdf/activities/${encodeURIComponent(a.id)}/links?kind=${encodeURIComponent(kind)}&targetId=${encodeURIComponent(targetId)}`,
    ).then(() => true),
  );
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    link.clear();
    if (!target.trim()) return;
    const r = await link.run({ kind, targetId: target.trim() });
    if (r) {
      setTarget('');
      onDone(t('mdf.done.linked'));
    }
  };
  return (
    <section aria-labelledby="mdf-roi">
      <h2 id="mdf-roi">{t('mdf.returns')}</h2>
      <Fields
        items={[
          [t('mdf.registrations'), formatNumber(a.roi.registrations)],
          [t('mdf.orders'), formatNumber(a.roi.orders)],
          [t('mdf.revenue'), <Money key="rv" minor={a.roi.orderRevenueMinor} currency={a.currency} />],
          [t('mdf.paid'), <Money key="sp" minor={a.roi.spentMinor} currency={a.currency} />],
          [
            t('mdf.roi'),
            a.roi.revenuePerSpent == null
              ? null
              : formatNumber(a.roi.revenuePerSpent, { maximumFractionDigits: 2 }),
          ],
        ]}
      />
      {a.links.length > 0 && (
        <ul>
          {a.links.map((l) => (
            <li key={`${l.kind}/${l.targetId}`}>
              {l.kind === 'registration' ? (
                <Link to={detailPath('deals', l.targetId)}>{t('mdf.registrationN', { id: l.targetId })}</Link>
              ) : (
                <Link to={detailPath('orders', l.targetId)}>{t('mdf.orderN', { id: l.targetId })}</Link>
              )}
              {editable && (
                <>
                  {' '}
                  <button
                    type="button"
                    className="button button-small"
                    disabled={unlink.busy}
                    onClick={() =>
                      void unlink.run(l.kind, l.targetId).then((r) => r && onDone(t('mdf.done.unlinked')))
                    }
                  >
                    {t('mdf.unlink')}
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {editable && (
        <form className="inline-form" onSubmit={submit} noValidate aria-label={t('mdf.link')}>
          <div className="field">
            <label htmlFor="mdf-link-kind">{t('mdf.linkKind')}</label>
            <select
              id="mdf-link-kind"
              value={kind}
              onChange={(e) => setKind(e.target.value as 'registration' | 'order')}
            >
              <option value="registration">{t('mdf.registration')}</option>
              <option value="order">{t('mdf.order')}</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="mdf-link-target">{t('mdf.linkId')}</label>
            <input
              id="mdf-link-target"
              type="text"
              value={target}
              onChange={(e) => setTarget(e.target.value)}
            />
          </div>
          {unlink.problem && <ErrorBanner problem={unlink.problem} />}
          {link.problem && <ErrorBanner problem={mdfProblem(link.problem, a.currency) ?? link.problem} />}
          <p>
            <button type="submit" className="button" disabled={link.busy}>
              {t('mdf.link')}
            </button>
          </p>
        </form>
      )}
    </section>
  );
}
