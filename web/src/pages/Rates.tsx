/**
 * The vendor's exchange rates (docs/currencies.md, "Exchange rates"): upload a rate file (POST
 * /api/imports/rates, a job followed until it answers its counts or every refused row by line), the rates by day
 * with filters (GET /api/rates, CSV like every list), and the conversion tool (GET /api/rates/convert)
 * to check a conversion by hand. Vendor admins upload; every vendor reader lists and converts.
 */
import { useState, type FormEvent } from 'react';
import '../styles/admin.css';
import { DataTable } from '../components/DataTable';
import { useFollowJob } from '../components/follow-job';
import { ListPage, type FilterField } from '../components/ListPage';
import { Badge, ErrorBanner, Fields, IsoTime } from '../components/ui';
import { useMe, useTitle } from '../hooks';
import { formatMoney, formatNumber, useT } from '../i18n';
import type { Schema } from '../api/types';
import { can } from '../lib/access';
import { apiGet, apiUrl, problemOf, type Problem } from '../lib/api';
import type { ListSpec } from '../lib/query';
import { ADMIN_PATHS } from './admin-routes';
import type { Job } from './types';
import { sendSignedIn } from './admin-api';

type Rate = Schema<'ExchangeRate'>;
type RateLoad = Schema<'ExchangeRateLoad'>;
type Conversion = Schema<'Conversion'>;

const spec: ListSpec = {
  filters: ['base', 'quote', 'from', 'to'],
  sorts: ['day'],
  defaultSort: 'day',
  defaultLimit: 50,
  defaultDirection: 'desc',
};

const LONG_EXAMPLE = `base,quote,day,rate
EUR,USD,2026-03-02,1.0712
EUR,GBP,2026-03-02,0.8563`;

const WIDE_EXAMPLE = `Date,USD,JPY,GBP,
2026-03-03,1.0698,161.25,0.8571,
2026-03-02,1.0712,N/A,0.8563,`;

const CURRENCY = '^[A-Za-z]{3}$';

export function RatesPage() {
  const t = useT();
  useTitle(t('rates.title'));
  const me = useMe();
  const who = me.status === 'ok' ? me.data : null;
  const [reloadKey, setReloadKey] = useState(0);
  const filters: FilterField[] = [
    { name: 'base', label: t('rates.base'), kind: 'text', placeholder: 'EUR', pattern: CURRENCY },
    { name: 'quote', label: t('rates.quote'), kind: 'text', placeholder: 'USD', pattern: CURRENCY },
    { name: 'from', label: t('rates.from'), kind: 'date' },
    { name: 'to', label: t('rates.to'), kind: 'date' },
  ];
  return (
    <ListPage<Rate>
      title={t('rates.title')}
      intro={<p>{t('rates.intro')}</p>}
      before={
        <>
          {can(who, 'loadRates') && <RateUpload onLoaded={() => setReloadKey((k) => k + 1)} />}
          <ConvertTool />
          <h2 id="rates-list-title">{t('rates.listTitle')}</h2>
        </>
      }
      path={ADMIN_PATHS.rates}
      endpoint="/api/rates"
      spec={spec}
      filters={filters}
      noun="exchange rates"
      reloadKey={reloadKey}
      rowKey={(r) => `${r.day}/${r.base}/${r.quote}`}
      columns={[
        { key: 'day', header: t('rates.day'), sort: 'day', render: (r) => r.day },
        { key: 'pair', header: t('rates.pair'), render: (r) => `${r.base}/${r.quote}` },
        { key: 'rate', header: t('rates.rate'), numeric: true, render: (r) => <code>{r.rate}</code> },
        { key: 'source', header: t('rates.source'), render: (r) => r.source },
        { key: 'loadedBy', header: t('rates.loadedBy'), render: (r) => <code>{r.loadedBy}</code> },
        { key: 'loadedAt', header: t('rates.loadedAt'), render: (r) => <IsoTime value={r.loadedAt} /> },
      ]}
    />
  );
}

function RateUpload({ onLoaded }: { onLoaded: () => void }) {
  const t = useT();
  const [file, setFile] = useState<File | null>(null);
  const [pasted, setPasted] = useState('');
  const [base, setBase] = useState('');
  const [currencies, setCurrencies] = useState('');
  const [replace, setReplace] = useState(false);
  const [dryRun, setDryRun] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [result, setResult] = useState<RateLoad | null>(null);
  const watch = useFollowJob<RateLoad>();

  const send = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    setResult(null);
    setBusy(true);
    try {
      const text = file ? await file.text() : pasted;
      const url = apiUrl('/api/imports/rates', {
        name: file?.name ?? undefined,
        base: base.trim() || undefined,
        currencies: currencies.replace(/\s+/g, '') || undefined,
        replace: replace ? 'true' : undefined,
        dryRun: dryRun ? 'true' : undefined,
      });
      // The import runs as a job (202): followed until it has finished, its problem shown as the request's.
      const started = await sendSignedIn<Job<RateLoad>>('POST', url, { text, contentType: 'text/csv' });
      const done = await watch.follow(started);
      if (done?.status === 'succeeded' && done.result) {
        setResult(done.result);
        if (!done.result.dryRun) onLoaded();
      } else if (done?.status === 'failed' && done.error) setProblem(done.error);
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  };

  const ready = (file !== null || pasted.trim() !== '') && !busy;
  return (
    <section className="card" aria-labelledby="rates-upload-title">
      <h2 id="rates-upload-title">{t('rates.uploadTitle')}</h2>
      <p>{t('rates.shapes')}</p>
      <form className="admin-form" onSubmit={(e) => void send(e)}>
        <div className="field">
          <label htmlFor="rates-file">{t('rates.file')}</label>
          <input
            id="rates-file"
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </div>
        <div className="field">
          <label htmlFor="rates-text">{t('rates.paste')}</label>
          <textarea
            id="rates-text"
            className="import-text"
            value={pasted}
            disabled={file !== null}
            placeholder={LONG_EXAMPLE}
            spellCheck={false}
            onChange={(e) => setPasted(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="rates-base">{t('rates.tableBase')}</label>
          <input
            id="rates-base"
            value={base}
            maxLength={3}
            pattern={CURRENCY}
            placeholder="EUR"
            aria-describedby="rates-base-hint"
            onChange={(e) => setBase(e.target.value.toUpperCase())}
          />
          <small id="rates-base-hint" className="hint">
            {t('rates.tableBaseHint')}
          </small>
        </div>
        <div className="field">
          <label htmlFor="rates-currencies">{t('rates.only')}</label>
          <input
            id="rates-currencies"
            value={currencies}
            placeholder="USD,GBP,JPY"
            aria-describedby="rates-currencies-hint"
            onChange={(e) => setCurrencies(e.target.value.toUpperCase())}
          />
          <small id="rates-currencies-hint" className="hint">
            {t('rates.onlyHint')}
          </small>
        </div>
        <fieldset>
          <legend>{t('rates.options')}</legend>
          <label className="checkbox">
            <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} />{' '}
            {t('rates.replace')}
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} />{' '}
            {t('rates.dryRun')}
          </label>
        </fieldset>
        <p>
          <button type="submit" className="button button-primary" disabled={!ready}>
            {busy ? t('rates.sending') : t('rates.send')}
          </button>
        </p>
      </form>
      {busy && watch.job && (
        <p role="status">
          {t('rates.importing', {
            done: formatNumber(watch.job.progress.done),
            total: formatNumber(watch.job.progress.total),
          })}
        </p>
      )}
      {(problem ?? watch.problem) && <ErrorBanner problem={(problem ?? watch.problem)!} />}
      {result && <LoadResult result={result} />}
      <details>
        <summary>{t('rates.examples')}</summary>
        <h3>{t('rates.longExample')}</h3>
        <pre className="csv-example" tabIndex={0} aria-label={t('rates.longExample')}>
          {LONG_EXAMPLE}
        </pre>
        <h3>{t('rates.wideExample')}</h3>
        <pre className="csv-example" tabIndex={0} aria-label={t('rates.wideExample')}>
          {WIDE_EXAMPLE}
        </pre>
      </details>
    </section>
  );
}

function LoadResult({ result }: { result: RateLoad }) {
  const t = useT();
  const n = (v: number) => formatNumber(v);
  return (
    <section aria-labelledby="rates-result" className="import-result" role="status">
      <h3 id="rates-result">
        {result.dryRun ? t('rates.resultDry') : t('rates.result')}{' '}
        <Badge tone="ok">
          {t('rates.counts', { added: result.added, unchanged: result.unchanged, replaced: result.replaced })}
        </Badge>
      </h3>
      <Fields
        items={[
          [t('rates.source'), result.source],
          [t('rates.read'), n(result.rates)],
          [t('rates.added'), n(result.added)],
          [t('rates.unchanged'), n(result.unchanged)],
          [t('rates.replaced'), n(result.replaced)],
          [t('rates.ignored'), result.ignoredColumns.length > 0 ? result.ignoredColumns.join(', ') : null],
        ]}
      />
      {result.replacements.length > 0 && (
        <DataTable<RateLoad['replacements'][number]>
          caption={t('rates.replacementsCaption')}
          rows={result.replacements}
          rowKey={(r) => `${r.day}/${r.base}/${r.quote}`}
          columns={[
            { key: 'day', header: t('rates.day'), render: (r) => r.day },
            { key: 'pair', header: t('rates.pair'), render: (r) => `${r.base}/${r.quote}` },
            {
              key: 'before',
              header: t('rates.before'),
              numeric: true,
              render: (r) => <code>{r.before}</code>,
            },
            { key: 'after', header: t('rates.after'), numeric: true, render: (r) => <code>{r.after}</code> },
          ]}
        />
      )}
    </section>
  );
}

/** Minor units of a decimal amount typed by a person ("10000.50" in EUR: 1000050), or null. */
function toMinor(text: string, digits: number): number | null {
  const m = /^\s*(-?)(\d+)(?:[.,](\d*))?\s*$/.exec(text);
  if (!m) return null;
  const frac = (m[3] ?? '').padEnd(digits, '0');
  if (frac.length > digits) return null;
  const v = Number(`${m[1]}${m[2]}${frac}`);
  return Number.isSafeInteger(v) ? v : null;
}

/** Minor-unit digits of the currencies the tool is used with (JPY, KRW, CLP, VND have none). */
const ZERO_DIGITS = new Set(['JPY', 'KRW', 'CLP', 'VND']);

function ConvertTool() {
  const t = useT();
  const [from, setFrom] = useState('EUR');
  const [to, setTo] = useState('USD');
  const [day, setDay] = useState('');
  const [amount, setAmount] = useState('10000.00');
  const [program, setProgram] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [answer, setAnswer] = useState<Conversion | null>(null);
  const [busy, setBusy] = useState(false);

  const convert = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    setAnswer(null);
    const minor = toMinor(amount, ZERO_DIGITS.has(from.toUpperCase()) ? 0 : 2);
    if (minor === null) {
      setProblem({ title: t('rates.badAmountTitle'), status: 0, detail: t('rates.badAmount') });
      return;
    }
    setBusy(true);
    try {
      setAnswer(
        await apiGet<Conversion>('/api/rates/convert', {
          params: { from, to, day, amount: String(minor), program: program.trim() || undefined },
        }),
      );
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  };

  const how = (c: Conversion) =>
    c.derivation.kind === 'direct'
      ? t('rates.direct')
      : c.derivation.kind === 'inverse'
        ? t('rates.inverse', { pair: `${c.to}/${c.from}` })
        : t('rates.cross', { via: c.derivation.via });
  return (
    <section className="card" aria-labelledby="rates-convert-title">
      <h2 id="rates-convert-title">{t('rates.convertTitle')}</h2>
      <p>{t('rates.convertIntro')}</p>
      <form className="admin-form" onSubmit={(e) => void convert(e)}>
        <div className="field">
          <label htmlFor="convert-amount">{t('rates.amount')}</label>
          <input
            id="convert-amount"
            inputMode="decimal"
            required
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="convert-from">{t('rates.fromCurrency')}</label>
          <input
            id="convert-from"
            required
            maxLength={3}
            pattern={CURRENCY}
            value={from}
            onChange={(e) => setFrom(e.target.value.toUpperCase())}
          />
        </div>
        <div className="field">
          <label htmlFor="convert-to">{t('rates.toCurrency')}</label>
          <input
            id="convert-to"
            required
            maxLength={3}
            pattern={CURRENCY}
            value={to}
            onChange={(e) => setTo(e.target.value.toUpperCase())}
          />
        </div>
        <div className="field">
          <label htmlFor="convert-day">{t('rates.day')}</label>
          <input id="convert-day" type="date" required value={day} onChange={(e) => setDay(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="convert-program">{t('rates.program')}</label>
          <input
            id="convert-program"
            value={program}
            placeholder="dell-emc-partner-program"
            aria-describedby="convert-program-hint"
            onChange={(e) => setProgram(e.target.value)}
          />
          <small id="convert-program-hint" className="hint">
            {t('rates.programHint')}
          </small>
        </div>
        <p>
          <button type="submit" className="button button-primary" disabled={busy}>
            {t('rates.convert')}
          </button>
        </p>
      </form>
      {problem && <ErrorBanner problem={problem} />}
      {answer && (
        <div role="status" aria-labelledby="convert-result">
          <p id="convert-result">
            <strong>
              {formatMoney(answer.amountMinor, answer.from)} = {formatMoney(answer.convertedMinor, answer.to)}
            </strong>
          </p>
          <Fields
            items={[
              [t('rates.rate'), <code key="rate">{`1 ${answer.from} = ${answer.rate} ${answer.to}`}</code>],
              [t('rates.how'), how(answer)],
              [
                t('rates.rateDay'),
                answer.rateDay === answer.day
                  ? answer.rateDay
                  : t('rates.bridged', { day: answer.rateDay, asked: answer.day }),
              ],
              [
                t('rates.policy'),
                answer.policy.policy === 'last-known'
                  ? t('rates.lastKnown', { days: answer.policy.withinDays, program: answer.program ?? '' })
                  : t('rates.refuse'),
              ],
              [t('rates.explanation'), answer.explanation],
            ]}
          />
        </div>
      )}
    </section>
  );
}
