/**
 * CSV imports (docs/csv-formats.md): orders (POST /api/imports/orders, run as a background job followed
 * at GET /api/jobs/{id}) and deal registrations (POST /api/imports/deals, a job too). Choose the
 * kind, pick or paste the file, send it, follow the job, then read the result and every problem by line.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import '../styles/admin.css';
import { DataTable } from '../components/DataTable';
import { useFollowJob } from '../components/follow-job';
import { useProgramOptions, useVendorOptions } from '../components/refs';
import { Badge, Empty, ErrorBanner, Fields, PageHeading } from '../components/ui';
import { useMe, useTitle } from '../hooks';
import { formatMoney, formatNumber, useT } from '../i18n';
import type { Schema } from '../api/types';
import { can } from '../lib/access';
import { apiGet, apiUrl, isAbort, problemOf, type Problem } from '../lib/api';
import { detailPath } from '../lib/routes';
import { Link } from '../router';
import { sendSignedIn } from './admin-api';
import type { Job } from './types';

type OrderImport = Schema<'OrderImport'>;
type DealImport = Schema<'DealImport'>;
type Kind = 'orders' | 'deals';

/** How often a running import is asked where it stands. */
const POLL_MS = 500;

/** The columns of each file (docs/csv-formats.md), each with whether it is required and its meaning. */
const ORDER_COLUMNS = [
  ['source', 'admin.imports.req.yes', 'admin.imports.orderColumns.source'],
  ['external_id', 'admin.imports.req.yes', 'admin.imports.orderColumns.externalId'],
  ['order_date', 'admin.imports.req.yes', 'admin.imports.orderColumns.orderDate'],
  ['currency', 'admin.imports.req.yes', 'admin.imports.orderColumns.currency'],
  ['customer_id', 'admin.imports.req.yes', 'admin.imports.orderColumns.customerId'],
  ['end_user_name', 'admin.imports.req.no', 'admin.imports.orderColumns.endUserName'],
  ['channel', 'admin.imports.req.yes', 'admin.imports.orderColumns.channel'],
  ['reseller_id', 'admin.imports.req.partnerChannels', 'admin.imports.orderColumns.resellerId'],
  ['distributor_id', 'admin.imports.req.distributorChannel', 'admin.imports.orderColumns.distributorId'],
  ['product_id', 'admin.imports.req.yes', 'admin.imports.orderColumns.productId'],
  ['quantity', 'admin.imports.req.yes', 'admin.imports.orderColumns.quantity'],
  ['unit_price', 'admin.imports.req.yes', 'admin.imports.orderColumns.unitPrice'],
  ['returns_line_id', 'admin.imports.req.no', 'admin.imports.orderColumns.returnsLineId'],
  [
    'returns_external_id, returns_line_no',
    'admin.imports.req.bothOrNeither',
    'admin.imports.orderColumns.returnsExternal',
  ],
  ['deal_registration_id', 'admin.imports.req.no', 'admin.imports.orderColumns.dealRegistrationId'],
] as const;

const DEAL_COLUMNS = [
  ['external_ref', 'admin.imports.req.yes', 'admin.imports.dealColumns.externalRef'],
  ['program', 'admin.imports.req.unlessProgram', 'admin.imports.dealColumns.program'],
  ['customer_name', 'admin.imports.req.yes', 'admin.imports.dealColumns.customerName'],
  ['customer_domain', 'admin.imports.req.no', 'admin.imports.dealColumns.customerDomain'],
  [
    'customer_address, customer_city, customer_postal_code',
    'admin.imports.req.no',
    'admin.imports.dealColumns.customerAddress',
  ],
  ['customer_country', 'admin.imports.req.yes', 'admin.imports.dealColumns.customerCountry'],
  ['customer_region', 'admin.imports.req.no', 'admin.imports.dealColumns.customerRegion'],
  ['customer_segment', 'admin.imports.req.yes', 'admin.imports.dealColumns.customerSegment'],
  ['currency', 'admin.imports.req.yes', 'admin.imports.dealColumns.currency'],
  ['expected_close_date', 'admin.imports.req.yes', 'admin.imports.dealColumns.expectedCloseDate'],
  ['description', 'admin.imports.req.yes', 'admin.imports.dealColumns.description'],
  ['family', 'admin.imports.req.eachRow', 'admin.imports.dealColumns.family'],
  ['amount', 'admin.imports.req.eachRow', 'admin.imports.dealColumns.amount'],
  ['product_id', 'admin.imports.req.no', 'admin.imports.dealColumns.productId'],
  ['quantity', 'admin.imports.req.no', 'admin.imports.dealColumns.quantity'],
  ['line_description', 'admin.imports.req.no', 'admin.imports.dealColumns.lineDescription'],
] as const;

const ORDER_EXAMPLE = `source,external_id,order_date,currency,customer_id,channel,reseller_id,product_id,quantity,unit_price
erp,SO-1001,2017-03-10,USD,cus_acme,partner,ptn_alpha,prd_stor,2,15000.00`;

const DEAL_EXAMPLE = `external_ref,program,customer_name,customer_country,customer_segment,currency,expected_close_date,description,family,amount
OPP-1,dell-emc-partner-program,Globex GmbH,DE,enterprise,USD,2027-06-30,Storage refresh,storage,25000.00`;

export function ImportsPage() {
  const t = useT();
  useTitle(t('admin.imports.title'));
  const me = useMe();
  const who = me.status === 'ok' ? me.data : null;
  const kinds: Kind[] = [
    ...(can(who, 'writeOrders') ? (['orders'] as const) : []),
    ...(can(who, 'registerDeals') ? (['deals'] as const) : []),
  ];
  const [chosen, setChosen] = useState<Kind | null>(null);
  const kind = chosen && kinds.includes(chosen) ? chosen : (kinds[0] ?? null);
  return (
    <>
      <PageHeading title={t('admin.imports.title')}>
        <p>{t('admin.imports.intro')}</p>
      </PageHeading>
      {kind === null ? (
        <Empty>{t('admin.imports.nothing')}</Empty>
      ) : (
        <>
          {kinds.length > 1 && (
            <fieldset className="admin-form">
              <legend>{t('admin.imports.kind')}</legend>
              {kinds.map((k) => (
                <label key={k} className="checkbox">
                  <input
                    type="radio"
                    name="import-kind"
                    value={k}
                    checked={kind === k}
                    onChange={() => setChosen(k)}
                  />{' '}
                  {k === 'orders' ? t('admin.imports.orders') : t('admin.imports.deals')}
                </label>
              ))}
            </fieldset>
          )}
          <ImportForm key={kind} kind={kind} needsVendor={who !== null && who.vendorId === null} />
          <CsvColumns kind={kind} />
        </>
      )}
    </>
  );
}

function ImportForm({ kind, needsVendor }: { kind: Kind; needsVendor: boolean }) {
  const t = useT();
  const vendors = useVendorOptions();
  const programs = useProgramOptions();
  const [file, setFile] = useState<File | null>(null);
  const [pasted, setPasted] = useState('');
  const [vendor, setVendor] = useState('');
  const [program, setProgram] = useState('');
  const [dryRun, setDryRun] = useState(false);
  const [allowPartial, setAllowPartial] = useState(false);
  const [submit, setSubmit] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [job, setJob] = useState<Job<OrderImport> | null>(null);
  const [deals, setDeals] = useState<DealImport | null>(null);
  const dealJob = useFollowJob<DealImport>();
  const stopped = useRef(false);
  useEffect(
    () => () => {
      stopped.current = true;
    },
    [],
  );

  const follow = async (started: Job<OrderImport>) => {
    let current = started;
    setJob(current);
    while (!stopped.current && (current.status === 'queued' || current.status === 'running')) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      try {
        current = await apiGet<Job<OrderImport>>(`/api/jobs/${encodeURIComponent(started.id)}`);
      } catch (err) {
        if (isAbort(err)) return;
        setProblem(problemOf(err));
        return;
      }
      if (!stopped.current) setJob(current);
    }
  };

  const send = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    setJob(null);
    setDeals(null);
    setBusy(true);
    try {
      const text = file ? await file.text() : pasted;
      const body = { text, contentType: 'text/csv' };
      if (kind === 'orders') {
        const url = apiUrl('/api/imports/orders', {
          vendor: needsVendor ? vendor || undefined : undefined,
          allowPartial: allowPartial ? 'true' : undefined,
          dryRun: dryRun ? 'true' : undefined,
        });
        const started = await sendSignedIn<Job<OrderImport>>('POST', url, body);
        setBusy(false);
        await follow(started);
      } else {
        const url = apiUrl('/api/imports/deals', {
          program: program || undefined,
          submit: submit ? 'true' : undefined,
          dryRun: dryRun ? 'true' : undefined,
        });
        // A job too: followed until it answers each registration's outcome, or the problem of the file.
        const started = await sendSignedIn<Job<DealImport>>('POST', url, body);
        setBusy(false);
        const done = await dealJob.follow(started);
        if (done?.status === 'succeeded' && done.result) setDeals(done.result);
        else if (done?.status === 'failed' && done.error) setProblem(done.error);
      }
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  };

  const running = job !== null && (job.status === 'queued' || job.status === 'running');
  const ready =
    (file !== null || pasted.trim() !== '') &&
    !busy &&
    !running &&
    !dealJob.running &&
    (kind !== 'orders' || !needsVendor || vendor !== '');
  return (
    <>
      <section className="card" aria-labelledby="import-form-title">
        <h2 id="import-form-title">
          {kind === 'orders' ? t('admin.imports.ordersTitle') : t('admin.imports.dealsTitle')}
        </h2>
        <form className="admin-form" onSubmit={(e) => void send(e)}>
          <div className="field">
            <label htmlFor="import-file">{t('admin.imports.file')}</label>
            <input
              id="import-file"
              type="file"
              accept=".csv,text/csv"
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
          </div>
          <div className="field">
            <label htmlFor="import-text">{t('admin.imports.paste')}</label>
            <textarea
              id="import-text"
              className="import-text"
              value={pasted}
              disabled={file !== null}
              placeholder={kind === 'orders' ? ORDER_EXAMPLE : DEAL_EXAMPLE}
              aria-describedby="import-text-hint"
              spellCheck={false}
              onChange={(e) => setPasted(e.target.value)}
            />
            <small id="import-text-hint" className="hint">
              {t('admin.imports.pasteHint')}
            </small>
          </div>
          {kind === 'orders' && needsVendor && (
            <div className="field">
              <label htmlFor="import-vendor">{t('admin.imports.vendor')}</label>
              <select id="import-vendor" required value={vendor} onChange={(e) => setVendor(e.target.value)}>
                <option value="">{t('admin.imports.chooseVendor')}</option>
                {vendors?.map((v) => (
                  <option key={v.value} value={v.value}>
                    {v.label}
                  </option>
                ))}
              </select>
            </div>
          )}
          {kind === 'deals' && (
            <div className="field">
              <label htmlFor="import-program">{t('admin.imports.program')}</label>
              <select id="import-program" value={program} onChange={(e) => setProgram(e.target.value)}>
                <option value="">{t('admin.imports.programFromFile')}</option>
                {programs?.map((p) => (
                  <option key={p.value} value={p.value}>
                    {p.label}
                  </option>
                ))}
              </select>
            </div>
          )}
          <fieldset>
            <legend>{t('admin.imports.options')}</legend>
            {kind === 'orders' && (
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={allowPartial}
                  onChange={(e) => setAllowPartial(e.target.checked)}
                />{' '}
                {t('admin.imports.allowPartial')}
              </label>
            )}
            {kind === 'deals' && (
              <label className="checkbox">
                <input type="checkbox" checked={submit} onChange={(e) => setSubmit(e.target.checked)} />{' '}
                {t('admin.imports.submit')}
              </label>
            )}
            <label className="checkbox">
              <input type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} />{' '}
              {t('admin.imports.dryRun')}
            </label>
          </fieldset>
          <p>
            <button type="submit" className="button button-primary" disabled={!ready}>
              {busy ? t('admin.imports.sending') : t('admin.imports.send')}
            </button>
          </p>
        </form>
      </section>
      {problem && <ErrorBanner problem={problem} />}
      {job && running && <ImportProgress job={job} />}
      {job?.status === 'failed' && job.error && <ErrorBanner problem={job.error} />}
      {job?.status === 'succeeded' && job.result && <OrderImportResult result={job.result} />}
      {dealJob.running && dealJob.job && (
        <p role="status">
          {t('admin.imports.dealsRunning', {
            done: formatNumber(dealJob.job.progress.done),
            total: formatNumber(dealJob.job.progress.total),
          })}
        </p>
      )}
      {dealJob.problem && <ErrorBanner problem={dealJob.problem} />}
      {deals && <DealImportResult result={deals} />}
    </>
  );
}

function ImportProgress({ job }: { job: Job<OrderImport> }) {
  const t = useT();
  const { phase, done, total } = job.progress;
  return (
    <div className="job-progress" role="status" aria-label={t('admin.imports.progress')}>
      <p>
        <span className="spinner" aria-hidden="true" />
        {job.status === 'queued'
          ? t('admin.imports.queued')
          : phase
            ? t('admin.imports.runningPhase', { phase })
            : t('admin.imports.running')}
        {total > 0 ? ` ${t('admin.imports.ofTotal', { done, total })}` : ''}…{' '}
        <span className="muted">
          {t('admin.imports.job')} <code>{job.id}</code>
        </span>
      </p>
      {total > 0 && <progress max={total} value={Math.min(done, total)} />}
    </div>
  );
}

type Located = { readonly location: string; readonly message: string };

function OrderImportResult({ result }: { result: OrderImport }) {
  const t = useT();
  const n = (v: number) => formatNumber(v);
  const { orders, lines, ledger, rejected } = result;
  return (
    <section aria-labelledby="import-result" className="import-result">
      <h2 id="import-result">
        {result.dryRun ? t('admin.imports.resultDry') : t('admin.imports.result')}{' '}
        <Badge tone={orders.rejected > 0 ? 'warn' : 'ok'}>
          {orders.rejected > 0 ? t('admin.imports.withRejects') : t('admin.imports.allStored')}
        </Badge>
      </h2>
      <Fields
        items={[
          [t('admin.imports.vendor'), result.vendor.name],
          [t('admin.imports.rows'), n(result.rows)],
          [t('admin.imports.ordersCreated'), n(orders.created)],
          [t('admin.imports.ordersReplayed'), n(orders.replayed)],
          [t('admin.imports.ordersRejected'), n(orders.rejected)],
          [t('admin.imports.ordersRouted'), n(orders.routed)],
          [t('admin.imports.linesCreated'), n(lines.created)],
          [t('admin.imports.linesRejected'), n(lines.rejected)],
          [t('admin.imports.accrued'), formatMoney(ledger.accruedMinor, result.vendor.currency)],
          [
            t('admin.imports.ignoredColumns'),
            result.ignoredColumns.length > 0 ? result.ignoredColumns.join(', ') : null,
          ],
          [t('admin.imports.seconds'), formatNumber(result.seconds, { maximumFractionDigits: 1 })],
        ]}
      />
      {rejected.errors.length > 0 && (
        <>
          <h3>{t('admin.imports.problems', { count: rejected.problemCount })}</h3>
          <ProblemTable errors={rejected.errors} />
          {rejected.csv && (
            <p>
              <a
                className="button"
                download="rejected.csv"
                href={`data:text/csv;charset=utf-8,${encodeURIComponent(rejected.csv)}`}
              >
                {t('admin.imports.downloadRejects')}
              </a>
            </p>
          )}
        </>
      )}
    </section>
  );
}

function ProblemTable({ errors }: { errors: readonly Located[] }) {
  const t = useT();
  return (
    <DataTable<Located & { readonly i: number }>
      caption={t('admin.imports.problemsCaption')}
      rows={errors.map((e, i) => ({ ...e, i }))}
      rowKey={(e) => String(e.i)}
      columns={[
        { key: 'where', header: t('admin.imports.where'), render: (e) => e.location },
        { key: 'what', header: t('admin.imports.what'), render: (e) => e.message },
      ]}
    />
  );
}

function DealImportResult({ result }: { result: DealImport }) {
  const t = useT();
  const n = (v: number) => formatNumber(v);
  const outcome = (o: DealImport['items'][number]['outcome']) =>
    o === 'draft'
      ? t('admin.imports.outcome.draft')
      : o === 'submitted'
        ? t('admin.imports.outcome.submitted')
        : o === 'conflict'
          ? t('admin.imports.outcome.conflict')
          : t('admin.imports.outcome.alreadyRegistered');
  return (
    <section aria-labelledby="import-result" className="import-result">
      <h2 id="import-result">{result.dryRun ? t('admin.imports.resultDry') : t('admin.imports.result')}</h2>
      <Fields
        items={[
          [t('admin.imports.rows'), n(result.rows)],
          [t('admin.imports.registrations'), n(result.registrations)],
          [t('admin.imports.created'), n(result.created)],
          [t('admin.imports.drafts'), n(result.drafts)],
          [t('admin.imports.submitted'), n(result.submitted)],
          [t('admin.imports.conflicts'), n(result.conflicts)],
          [t('admin.imports.alreadyRegistered'), n(result.alreadyRegistered)],
          [
            t('admin.imports.ignoredColumns'),
            result.ignoredColumns.length > 0 ? result.ignoredColumns.join(', ') : null,
          ],
        ]}
      />
      {result.items.length > 0 && (
        <DataTable<DealImport['items'][number]>
          caption={t('admin.imports.registrationsCaption')}
          rows={result.items}
          rowKey={(i) => `${i.line}-${i.externalRef}`}
          columns={[
            { key: 'line', header: t('admin.imports.line'), numeric: true, render: (i) => n(i.line) },
            { key: 'ref', header: t('admin.imports.reference'), render: (i) => i.externalRef },
            {
              key: 'outcome',
              header: t('admin.imports.outcomeHeader'),
              render: (i) => (
                <Badge tone={i.outcome === 'conflict' ? 'bad' : i.outcome === 'submitted' ? 'ok' : 'neutral'}>
                  {outcome(i.outcome)}
                </Badge>
              ),
            },
            {
              key: 'id',
              header: t('admin.imports.registration'),
              render: (i) => (i.id ? <Link to={detailPath('deals', i.id)}>{i.id}</Link> : null),
            },
          ]}
        />
      )}
    </section>
  );
}

/** The file's columns, documented on the page (docs/csv-formats.md). */
function CsvColumns({ kind }: { kind: Kind }) {
  const t = useT();
  const columns = kind === 'orders' ? ORDER_COLUMNS : DEAL_COLUMNS;
  return (
    <section aria-labelledby="csv-columns-title">
      <h2 id="csv-columns-title">{t('admin.imports.columnsTitle')}</h2>
      <p>{kind === 'orders' ? t('admin.imports.ordersRules') : t('admin.imports.dealsRules')}</p>
      <p>{t('admin.imports.commonRules')}</p>
      <div className="table-wrap" role="region" aria-label={t('admin.imports.columnsTitle')} tabIndex={0}>
        <table className="csv-columns">
          <caption className="visually-hidden">{t('admin.imports.columnsTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.imports.column')}</th>
              <th scope="col">{t('admin.imports.required')}</th>
              <th scope="col">{t('admin.imports.meaning')}</th>
            </tr>
          </thead>
          <tbody>
            {columns.map(([name, required, meaning]) => (
              <tr key={name}>
                <td>
                  <code>{name}</code>
                </td>
                <td>{t(required)}</td>
                <td>{t(meaning)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>{t('admin.imports.example')}</h3>
      {/* A wide example scrolls within its frame: focusable so a keyboard can scroll it too. */}
      <pre className="csv-example" tabIndex={0} aria-label={t('admin.imports.example')}>
        {kind === 'orders' ? ORDER_EXAMPLE : DEAL_EXAMPLE}
      </pre>
    </section>
  );
}
