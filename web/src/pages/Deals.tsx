/**
 * Deal registration, the partner's side: its registrations (GET /api/deals) with their protection
 * countdown, and the registration form (POST /api/deals) with the live "a registration may already cover
 * this customer" hint (POST /api/deals/check), which says nothing else: the API answers only the hint.
 */
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Trans } from 'react-i18next';
import { DealBadges, LocalTime, ProtectionCountdown } from '../components/deals';
import { ListPage, type FilterField } from '../components/ListPage';
import { useProgramOptions } from '../components/refs';
import { Dash, ErrorBanner, Money, PageHeading } from '../components/ui';
import { postSignedIn, putSignedIn, useGet } from '../hooks';
import { formatDate, locale, useT } from '../i18n';
import { ApiError, problemOf, type Problem } from '../lib/api';
import { dealPolicyOf } from '../lib/deal-policy';
import {
  DEAL_STATUSES,
  dealStatusText,
  familyText,
  fieldKey,
  formatLocalTime,
  isoDayPlus,
  PRODUCT_FAMILIES,
  SEGMENTS,
  isSegment,
  type Segment,
  segmentText,
} from '../lib/deals';
import { humanize } from '../lib/format';
import { moneyInputText, numberConventions, parseMoneyInput } from '../lib/money';
import type { ListSpec } from '../lib/query';
import { detailPath } from '../lib/routes';
import { Link } from '../router';
import type { Deal, DealHint, RegistrationBody, SubmitResult } from './deals-types';

const dealSpec: ListSpec = {
  filters: ['status', 'expiringWithinDays', 'q'],
  sorts: ['createdAt', 'reviewDueAt', 'expectedCloseDate', 'total', 'protectedUntil'],
  defaultSort: 'createdAt',
  defaultLimit: 50,
  defaultDirection: 'desc',
};

export function DealsPage() {
  const t = useT();
  const filters: FilterField[] = [
    {
      name: 'status',
      label: t('deals.list.status'),
      kind: 'select',
      options: DEAL_STATUSES.map((s) => ({ value: s, label: dealStatusText(t, s) })),
    },
    {
      name: 'expiringWithinDays',
      label: t('deals.list.protectionEnds'),
      kind: 'select',
      options: [14, 30, 60].map((days) => ({
        value: String(days),
        label: t('deals.list.withinDays', { days }),
      })),
    },
    {
      name: 'q',
      label: t('deals.list.customer'),
      kind: 'text',
      placeholder: t('deals.list.partOfName'),
    },
  ];
  return (
    <ListPage<Deal>
      title={t('deals.list.title')}
      path="/deals"
      endpoint="/api/deals"
      spec={dealSpec}
      noun="registration"
      intro={<p className="subtitle">{t('deals.list.intro')}</p>}
      before={
        <p>
          <Link to="/deals/new" className="button button-primary">
            {t('deals.list.register')}
          </Link>
        </p>
      }
      filters={filters}
      rowKey={(d) => d.id}
      columns={[
        {
          key: 'customer',
          header: t('deals.list.customer'),
          render: (d) => <Link to={detailPath('deals', d.id)}>{d.customer.name}</Link>,
        },
        { key: 'status', header: t('deals.list.status'), render: (d) => <DealBadges deal={d} /> },
        {
          key: 'total',
          header: t('deals.list.total'),
          sort: 'total',
          numeric: true,
          render: (d) => <Money minor={d.totalMinor} currency={d.currency} />,
        },
        {
          key: 'close',
          header: t('deals.list.expectedClose'),
          sort: 'expectedCloseDate',
          render: (d) => formatDate(d.expectedCloseDate),
        },
        {
          key: 'protection',
          header: t('deals.list.protection'),
          sort: 'protectedUntil',
          render: (d) => <ProtectionCountdown deal={d} />,
        },
        {
          key: 'review',
          header: t('deals.list.reviewDue'),
          sort: 'reviewDueAt',
          render: (d) =>
            d.status === 'submitted' || d.status === 'under-review' ? (
              <LocalTime value={d.reviewDueAt} />
            ) : (
              <Dash />
            ),
        },
        {
          key: 'created',
          header: t('deals.list.registered'),
          sort: 'createdAt',
          render: (d) => <LocalTime value={d.createdAt} />,
        },
      ]}
    />
  );
}

/** The reason codes' labels of a program, for a partner reading why (GET /api/deals/reasons). */
export function useReasonLabel(programId: string | null): (code: string) => string {
  const reasons = useGet(
    programId ? '/api/deals/reasons' : null,
    { params: { query: { program: programId ?? '' } } },
    { cache: true },
  );
  return (code: string) => reasons.data?.items.find((r) => r.code === code)?.label ?? humanize(code);
}

export function RegisterDealPage() {
  const t = useT();
  const [result, setResult] = useState<SubmitResult | null>(null);
  return (
    <>
      <p className="crumbs">
        <Link to="/deals">{t('deals.register.back')}</Link>
      </p>
      <PageHeading title={t('deals.register.title')}>
        <p className="subtitle">{t('deals.register.subtitle')}</p>
      </PageHeading>
      {result ? (
        <>
          <SubmitOutcome result={result} />
          <p className="actions">
            <Link to={detailPath('deals', result.deal.id)} className="button">
              {t('deals.register.open')}
            </Link>
            <button type="button" className="button" onClick={() => setResult(null)}>
              {t('deals.register.another')}
            </button>
          </p>
        </>
      ) : (
        <DealForm onDone={setResult} />
      )}
    </>
  );
}

/** What came of a submission: never anything about another registration. */
export function SubmitOutcome({ result }: { result: SubmitResult }) {
  const t = useT();
  const reasonLabel = useReasonLabel(result.deal.programId);
  const d = result.deal;
  return (
    <div role="status">
      {result.outcome === 'submitted' && (
        <div className="banner banner-info deal-outcome" data-outcome="submitted">
          <p>
            {d.reviewDueAt ? (
              <Trans
                i18nKey="deals.outcome.submittedBy"
                values={{ when: formatLocalTime(d.reviewDueAt, locale()) }}
                components={{
                  strong: <strong />,
                  time: <time dateTime={d.reviewDueAt} title={d.reviewDueAt} />,
                }}
              />
            ) : (
              <Trans i18nKey="deals.outcome.submittedInTime" components={{ strong: <strong /> }} />
            )}
          </p>
        </div>
      )}
      {result.outcome === 'draft' && (
        <div className="banner banner-info deal-outcome" data-outcome="draft">
          <p>
            <Trans i18nKey="deals.outcome.draft" components={{ strong: <strong /> }} />
          </p>
        </div>
      )}
      {result.outcome === 'conflict' && (
        <div className="banner banner-warn deal-outcome" data-outcome="conflict">
          <p>
            <strong>{t('deals.outcome.conflict')}</strong>
          </p>
          {d.reasonCode && <p>{t('deals.outcome.reason', { reason: reasonLabel(d.reasonCode) })}</p>}
        </div>
      )}
    </div>
  );
}

interface LineDraft {
  readonly key: number;
  family: string;
  amount: string;
}

type FieldErrors = Readonly<Record<string, string>>;

/** The problem's errors placed next to the fields named in `known`; the rest stay in the banner. */
function splitProblem(
  problem: Problem,
  known: (key: string) => boolean,
): { fields: FieldErrors; rest: Problem } {
  const fields: Record<string, string> = {};
  const rest = [];
  for (const e of problem.errors ?? []) {
    const key = fieldKey(e.location);
    if (known(key) && !fields[key]) fields[key] = e.message;
    else rest.push(e);
  }
  return { fields, rest: { ...problem, errors: rest } };
}

let lineKeys = 0;

/**
 * The registration form: a new registration (POST /api/deals, saved as a draft or submitted), or an edit of
 * a draft or of one the vendor sent back (PUT /api/deals/{id}, then submitted when asked).
 */
export function DealForm({
  deal,
  onDone,
  onCancel,
}: {
  deal?: Deal;
  onDone: (r: SubmitResult) => void;
  onCancel?: () => void;
}) {
  const t = useT();
  const programOptions = useProgramOptions();
  const [programId, setProgramId] = useState(deal?.programId ?? '');
  const program = useGet(
    programId ? '/api/programs/{programId}' : null,
    { params: { path: { programId } } },
    { cache: true },
  );
  const policy = program.data ? dealPolicyOf(program.data) : null;
  const currency = deal?.currency ?? policy?.currency ?? 'USD';
  const c = deal?.customer;
  const [name, setName] = useState(c?.name ?? '');
  const [domain, setDomain] = useState(c?.domain ?? '');
  const [addressLine, setAddressLine] = useState(c?.addressLine ?? '');
  const [city, setCity] = useState(c?.city ?? '');
  const [postalCode, setPostalCode] = useState(c?.postalCode ?? '');
  const [country, setCountry] = useState(c?.country ?? '');
  const [segment, setSegment] = useState<Segment>(isSegment(c?.segment) ? c.segment : 'commercial');
  const [lines, setLines] = useState<LineDraft[]>(() =>
    deal
      ? deal.lines.map((l) => ({
          key: ++lineKeys,
          family: l.family,
          amount: moneyInputText(l.amountMinor, deal.currency),
        }))
      : [{ key: ++lineKeys, family: 'storage', amount: '' }],
  );
  const [expectedCloseDate, setExpectedCloseDate] = useState(deal?.expectedCloseDate ?? '');
  const [description, setDescription] = useState(deal?.description ?? '');
  const [externalRef, setExternalRef] = useState(deal?.externalRef ?? '');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  // Editing: no check until the customer changes (each check counts), and never "yours" for this very one.
  const changed = !c || name !== c.name || country !== c.country || domain !== (c.domain ?? '');
  const rawHint = useDealHint(changed ? programId : '', name, country, domain);
  const hint: HintState =
    rawHint.kind === 'answer' && deal && rawHint.answer.yourRegistrationId === deal.id
      ? { kind: 'none' }
      : rawHint;
  const conv = numberConventions();

  const setLine = (key: number, patch: Partial<LineDraft>) =>
    setLines((ls) => ls.map((l) => (l.key === key ? { ...l, ...patch } : l)));

  const save = async (submit: boolean) => {
    setProblem(null);
    const found: Record<string, string> = {};
    if (!deal && !programId) found.programId = t('deals.form.errors.program');
    if (!name.trim()) found['customer.name'] = t('deals.form.errors.name');
    if (!/^[A-Za-z]{2}$/.test(country.trim())) found['customer.country'] = t('deals.form.errors.country');
    if (!expectedCloseDate) found.expectedCloseDate = t('deals.form.errors.expectedCloseDate');
    if (!description.trim()) found.description = t('deals.form.errors.description');
    const parsed = lines.map((l, i) => {
      const r = parseMoneyInput(l.amount, currency);
      if (!r.ok) found[`lines.${i}.amountMinor`] = r.message;
      else if (r.minor <= 0)
        found[`lines.${i}.amountMinor`] = t('deals.form.errors.amountAboveZero', { currency });
      return { family: l.family, amountMinor: r.ok ? r.minor : 0 };
    });
    if (lines.length === 0) found.lines = t('deals.form.errors.lines');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const body: RegistrationBody = {
      customer: {
        name: name.trim(),
        domain: domain.trim() || null,
        addressLine: addressLine.trim() || null,
        city: city.trim() || null,
        postalCode: postalCode.trim() || null,
        country: country.trim().toUpperCase(),
        segment,
      },
      currency,
      lines: parsed,
      expectedCloseDate,
      description: description.trim(),
    };
    setBusy(true);
    try {
      let result: SubmitResult | null;
      if (deal) {
        const edited = await putSignedIn<Deal>(`/api/deals/${encodeURIComponent(deal.id)}`, body);
        result = submit
          ? await postSignedIn<SubmitResult>(`/api/deals/${encodeURIComponent(deal.id)}/submit`, {})
          : edited && { outcome: 'draft', deal: edited };
      } else {
        result = await postSignedIn<SubmitResult>('/api/deals', {
          ...body,
          programId,
          submit,
          ...(externalRef.trim() ? { externalRef: externalRef.trim() } : {}),
        });
      }
      if (result) onDone(result);
    } catch (err) {
      const p = err instanceof ApiError ? err.problem : problemOf(err);
      const { fields, rest } = splitProblem(
        p,
        (k) =>
          (FIELD_KEYS.has(k) && !(deal && (k === 'programId' || k === 'externalRef'))) ||
          /^lines\.\d+\.(family|amountMinor)$/.test(k),
      );
      setErrors(fields);
      setProblem(rest);
    } finally {
      setBusy(false);
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void save(true);
  };

  const field = (
    key: string,
    label: string,
    control: (props: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string }) => ReactNode,
    opts: { hint?: ReactNode; wide?: boolean } = {},
  ) => {
    const id = `deal-${key.replace(/\./g, '-')}`;
    const error = errors[key];
    const describedBy = [error ? `${id}-error` : '', opts.hint ? `${id}-hint` : ''].filter(Boolean).join(' ');
    return (
      <div className={opts.wide ? 'field field-wide' : 'field'}>
        <label htmlFor={id}>{label}</label>
        {control({
          id,
          ...(error ? { 'aria-invalid': true as const } : {}),
          ...(describedBy ? { 'aria-describedby': describedBy } : {}),
        })}
        {opts.hint && (
          <small id={`${id}-hint`} className="hint">
            {opts.hint}
          </small>
        )}
        {error && (
          <p id={`${id}-error`} className="hint field-error" role="alert">
            {error}
          </p>
        )}
      </div>
    );
  };

  return (
    <form
      className="inline-form deal-form"
      aria-label={deal ? t('deals.form.editLabel') : t('deals.form.registerLabel')}
      onSubmit={onSubmit}
      noValidate
    >
      {!deal && (
        <div className="inline-form-fields">
          {field('programId', t('deals.form.program'), (p) => (
            <select {...p} value={programId} onChange={(e) => setProgramId(e.target.value)} required>
              <option value="">{t('deals.form.chooseProgram')}</option>
              {programOptions?.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          ))}
        </div>
      )}
      <fieldset>
        <legend>{t('deals.form.endCustomer')}</legend>
        <div className="inline-form-fields">
          {field(
            'customer.name',
            t('deals.form.legalName'),
            (p) => (
              <input
                {...p}
                type="text"
                autoComplete="off"
                required
                maxLength={200}
                value={name}
                onChange={(e) => setName(e.target.value)}
              />
            ),
            { wide: true, hint: <HintText hint={hint} /> },
          )}
          {field(
            'customer.country',
            t('deals.form.country'),
            (p) => (
              <input
                {...p}
                type="text"
                autoComplete="off"
                required
                maxLength={2}
                size={4}
                placeholder="GB"
                value={country}
                onChange={(e) => setCountry(e.target.value.toUpperCase())}
              />
            ),
            { hint: t('deals.form.isoCode') },
          )}
          {field('customer.segment', t('deals.form.segment'), (p) => (
            <select
              {...p}
              value={segment}
              onChange={(e) => isSegment(e.target.value) && setSegment(e.target.value)}
            >
              {SEGMENTS.map((s) => (
                <option key={s} value={s}>
                  {segmentText(t, s)}
                </option>
              ))}
            </select>
          ))}
          {field('customer.domain', t('deals.form.domain'), (p) => (
            <input
              {...p}
              type="text"
              autoComplete="off"
              placeholder="acme.example"
              value={domain}
              onChange={(e) => setDomain(e.target.value)}
            />
          ))}
          {field(
            'customer.addressLine',
            t('deals.form.addressLine'),
            (p) => (
              <input
                {...p}
                type="text"
                autoComplete="off"
                value={addressLine}
                onChange={(e) => setAddressLine(e.target.value)}
              />
            ),
            { wide: true },
          )}
          {field('customer.city', t('deals.form.city'), (p) => (
            <input
              {...p}
              type="text"
              autoComplete="off"
              value={city}
              onChange={(e) => setCity(e.target.value)}
            />
          ))}
          {field('customer.postalCode', t('deals.form.postalCode'), (p) => (
            <input
              {...p}
              type="text"
              autoComplete="off"
              value={postalCode}
              onChange={(e) => setPostalCode(e.target.value)}
            />
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('deals.form.families', { currency })}</legend>
        <div className="deal-lines-form">
          {lines.map((l, i) => (
            <div
              className="deal-line"
              key={l.key}
              role="group"
              aria-label={t('deals.form.line', { n: i + 1 })}
            >
              {field(`lines.${i}.family`, t('deals.form.lineFamily', { n: i + 1 }), (p) => (
                <select {...p} value={l.family} onChange={(e) => setLine(l.key, { family: e.target.value })}>
                  {PRODUCT_FAMILIES.map((f) => (
                    <option key={f} value={f}>
                      {familyText(t, f)}
                    </option>
                  ))}
                </select>
              ))}
              {field(
                `lines.${i}.amountMinor`,
                t('deals.form.lineAmount', { n: i + 1, currency }),
                (p) => (
                  <input
                    {...p}
                    type="text"
                    inputMode="decimal"
                    autoComplete="off"
                    value={l.amount}
                    onChange={(e) => setLine(l.key, { amount: e.target.value })}
                  />
                ),
                { hint: t('deals.form.like', { example: conv.example }) },
              )}
              {lines.length > 1 && (
                <div className="field field-actions">
                  <button
                    type="button"
                    className="button button-small"
                    onClick={() => setLines((ls) => ls.filter((x) => x.key !== l.key))}
                  >
                    {t('deals.form.removeLine', { n: i + 1 })}
                  </button>
                </div>
              )}
            </div>
          ))}
          {errors.lines && (
            <p className="hint field-error" role="alert">
              {errors.lines}
            </p>
          )}
          <p>
            <button
              type="button"
              className="button button-small"
              onClick={() => setLines((ls) => [...ls, { key: ++lineKeys, family: 'servers', amount: '' }])}
            >
              {t('deals.form.addLine')}
            </button>
          </p>
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('deals.form.opportunity')}</legend>
        <div className="inline-form-fields">
          {field('expectedCloseDate', t('deals.form.expectedCloseDate'), (p) => (
            <input
              {...p}
              type="date"
              min={isoDayPlus(Date.now(), 0)}
              required
              value={expectedCloseDate}
              onChange={(e) => setExpectedCloseDate(e.target.value)}
            />
          ))}
          {!deal &&
            field('externalRef', t('deals.form.externalRef'), (p) => (
              <input
                {...p}
                type="text"
                autoComplete="off"
                maxLength={128}
                placeholder={t('deals.form.externalRefPlaceholder')}
                value={externalRef}
                onChange={(e) => setExternalRef(e.target.value)}
              />
            ))}
          {field(
            'description',
            t('deals.form.description'),
            (p) => (
              <textarea
                {...p}
                rows={3}
                maxLength={2000}
                required
                value={description}
                onChange={(e) => setDescription(e.target.value)}
              />
            ),
            { wide: true },
          )}
        </div>
      </fieldset>
      {problem && <ErrorBanner problem={problem} />}
      <div className="field-actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? t('deals.form.saving') : deal ? t('deals.form.saveAndSubmit') : t('deals.form.submit')}
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => void save(false)}>
          {deal && deal.status !== 'draft' ? t('deals.form.saveChanges') : t('deals.form.saveDraft')}
        </button>
        {onCancel && (
          <button type="button" className="button" disabled={busy} onClick={onCancel}>
            {t('deals.form.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}

const FIELD_KEYS = new Set([
  'programId',
  'customer.name',
  'customer.country',
  'customer.segment',
  'customer.domain',
  'customer.addressLine',
  'customer.city',
  'customer.postalCode',
  'customer.region',
  'expectedCloseDate',
  'externalRef',
  'description',
  'lines',
]);

type HintState =
  | { readonly kind: 'none' }
  | { readonly kind: 'answer'; readonly answer: DealHint }
  | { readonly kind: 'limited' };

/** Waits this long after the last keystroke: at most one check per interval. */
export const HINT_DEBOUNCE_MS = 800;

/**
 * The live hint: once the name and the country are set, at most one POST /api/deals/check per 800 ms,
 * after typing pauses. Each check counts against the company's daily checks, so none is made for
 * the same name, country and domain twice.
 */
function useDealHint(programId: string, name: string, country: string, domain: string): HintState {
  const [state, setState] = useState<HintState>({ kind: 'none' });
  const last = useRef<string>('');
  const trimmed = name.trim();
  const cc = country.trim().toUpperCase();
  const dom = domain.trim();
  const ready = programId !== '' && trimmed.length >= 2 && /^[A-Z]{2}$/.test(cc);
  useEffect(() => {
    if (!ready) return;
    const key = JSON.stringify([programId, trimmed.toLowerCase(), cc, dom.toLowerCase()]);
    if (key === last.current) return;
    let cancelled = false;
    const timer = window.setTimeout(() => {
      last.current = key;
      postSignedIn<DealHint>('/api/deals/check', {
        programId,
        customer: { name: trimmed, country: cc, ...(dom ? { domain: dom } : {}) },
      }).then(
        (answer) => {
          if (!cancelled && answer) setState({ kind: 'answer', answer });
        },
        (err: unknown) => {
          if (cancelled) return;
          // Out of checks for today: say so discreetly; any other failure shows nothing (it is only a hint).
          setState(problemOf(err).status === 429 ? { kind: 'limited' } : { kind: 'none' });
        },
      );
    }, HINT_DEBOUNCE_MS);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [ready, programId, trimmed, cc, dom]);
  return ready ? state : { kind: 'none' };
}

const LOW_CHECKS = 10;

function HintText({ hint }: { hint: HintState }) {
  const t = useT();
  return (
    <span aria-live="polite" className="deal-hint-live">
      {hint.kind === 'limited' && <span className="deal-hint">{t('deals.hint.limited')}</span>}
      {hint.kind === 'answer' && hint.answer.hint === 'may-be-covered' && (
        <span className="deal-hint">{t('deals.hint.mayBeCovered')}</span>
      )}
      {hint.kind === 'answer' && hint.answer.hint === 'yours' && (
        <span className="deal-hint">
          {hint.answer.yourRegistrationId ? (
            <Trans
              i18nKey="deals.hint.yoursWithLink"
              components={{
                a: <Link to={detailPath('deals', hint.answer.yourRegistrationId)}>{null}</Link>,
              }}
            />
          ) : (
            t('deals.hint.yours')
          )}
        </span>
      )}
      {hint.kind === 'answer' && hint.answer.checksLeftToday <= LOW_CHECKS && (
        <span className="muted"> {t('deals.hint.checksLeft', { count: hint.answer.checksLeftToday })}</span>
      )}
    </span>
  );
}
