/**
 * Statements (GET /api/statements): the list, and a statement with its totals, its life (created, issued,
 * approved, paid), downloads, the vendor admin's next step (issue, approve, pay) and its lines, each of
 * which a partner's admin can dispute.
 */
import { useState, type FormEvent } from 'react';
import { Confirm } from '../components/Confirm';
import { DataTable } from '../components/DataTable';
import { ListPage, ListView, type FilterField } from '../components/ListPage';
import { options, PartnerLink, ProgramLink, useProgramOptions } from '../components/refs';
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
  SignedMoney,
} from '../components/ui';
import { postSignedIn, useAction, useGet, useMe } from '../hooks';
import { canManageSettlement, canOpenDisputes, isVendorReader } from '../lib/access';
import { formatMoney, formatPpmFactor, formatPpmPercent, parseMoneyInput } from '../lib/money';
import type { ListSpec } from '../lib/query';
import { detailPath } from '../lib/routes';
import {
  canDisputeStatement,
  disputeTone,
  LINE_KINDS,
  lineKindTone,
  nextAction,
  STATEMENT_STATUSES,
  statementLabel,
  statementTimeline,
  type StatementAction,
} from '../lib/settlement';
import { DisputeResolution, enumText, StatusBadges } from '../components/settlement';
import { formatDate, formatNumber, locale, useExplain, useT } from '../i18n';
import { Trans } from 'react-i18next';
import { Link } from '../router';
import type { Dispute, Statement, StatementLine } from './types';
import { PayoutCurrencyChooser } from './PayoutCurrency';

const ID_PATTERN = '[a-z]+_[0-9a-z]+';

const statementSpec: ListSpec = {
  filters: ['status', 'period', 'program', 'partner'],
  sorts: ['period', 'createdAt', 'totalMinor'],
  defaultSort: 'period',
  defaultLimit: 50,
};

export function StatementsPage() {
  const t = useT();
  const me = useMe();
  const programs = useProgramOptions();
  const vendor = isVendorReader(me.data);
  // Partners never see drafts: the filter does not offer them.
  const statuses = STATEMENT_STATUSES.filter((s) => vendor || s !== 'draft');
  const filters: FilterField[] = [
    {
      name: 'status',
      label: t('settle.statements.status'),
      kind: 'select',
      options: options(statuses, (s) => enumText(t, 'statementStatus', s)),
    },
    {
      name: 'period',
      label: t('settle.statements.period'),
      kind: 'text',
      placeholder: 'FY18-Q1',
      hint: t('settle.statements.periodHint'),
    },
    {
      name: 'program',
      label: t('settle.statements.program'),
      kind: 'select',
      options: programs,
      placeholder: 'prg_…',
    },
    ...(vendor
      ? [
          {
            name: 'partner',
            label: t('settle.statements.partnerId'),
            kind: 'text' as const,
            placeholder: 'ptn_…',
            pattern: ID_PATTERN,
          },
        ]
      : []),
  ];
  return (
    <ListPage<Statement>
      title={t('settle.statements.title')}
      path="/statements"
      endpoint="/api/statements"
      spec={statementSpec}
      noun="statement"
      intro={
        <>
          <p className="subtitle">
            {vendor ? t('settle.statements.introVendor') : t('settle.statements.introPartner')}
          </p>
          {!vendor && me.data?.partnerId && me.data.can.choosePayoutCurrency && (
            <PayoutCurrencyChooser partnerId={me.data.partnerId} />
          )}
        </>
      }
      filters={filters}
      rowKey={(s) => s.id}
      columns={[
        {
          key: 'period',
          header: t('settle.statements.statement'),
          sort: 'period',
          render: (s) => <Link to={detailPath('statements', s.id)}>{statementLabel(s)}</Link>,
        },
        ...(vendor
          ? [
              {
                key: 'partner',
                header: t('settle.statements.partner'),
                render: (s: Statement) => <PartnerLink id={s.partnerId} />,
              },
            ]
          : []),
        {
          key: 'program',
          header: t('settle.statements.program'),
          render: (s) => <ProgramLink id={s.programId} />,
        },
        {
          key: 'status',
          header: t('settle.statements.status'),
          render: (s) => <StatusBadges statement={s} />,
        },
        {
          key: 'lines',
          header: t('settle.statements.lines'),
          numeric: true,
          render: (s) => formatNumber(s.lines),
        },
        {
          key: 'earned',
          header: t('settle.statements.earned'),
          numeric: true,
          render: (s) => <SignedMoney minor={s.earnedMinor} currency={s.currency} />,
        },
        {
          key: 'clawback',
          header: t('settle.statements.clawbacks'),
          numeric: true,
          render: (s) => <SignedMoney minor={s.clawbackMinor} currency={s.currency} />,
        },
        {
          key: 'adjustment',
          header: t('settle.statements.adjustments'),
          numeric: true,
          render: (s) => <SignedMoney minor={s.adjustmentMinor} currency={s.currency} />,
        },
        {
          key: 'carried',
          header: t('settle.statements.carriedIn'),
          numeric: true,
          render: (s) => <SignedMoney minor={s.carriedInMinor} currency={s.currency} />,
        },
        {
          key: 'total',
          header: t('settle.statements.total'),
          sort: 'totalMinor',
          numeric: true,
          render: (s) => (
            <strong>
              <SignedMoney minor={s.totalMinor} currency={s.currency} />
            </strong>
          ),
        },
        {
          key: 'payout',
          header: t('settle.payout.paidIn'),
          numeric: true,
          render: (s) =>
            s.payout === null ? (
              <Dash />
            ) : s.payout.totalMinor === null ? (
              <span className="muted">{t('settle.payout.noRateShort', { currency: s.payout.currency })}</span>
            ) : (
              <>
                <SignedMoney minor={s.payout.totalMinor} currency={s.payout.currency} />
                {s.payout.estimate && (
                  <>
                    {' '}
                    <Badge tone="neutral">{t('settle.payout.estimate')}</Badge>
                  </>
                )}
              </>
            ),
        },
        {
          key: 'payOn',
          header: t('settle.statements.payOn'),
          render: (s) => <IsoTime value={s.payOn} dateOnly />,
        },
        {
          key: 'created',
          header: t('settle.statements.created'),
          sort: 'createdAt',
          render: (s) => <IsoTime value={s.createdAt} dateOnly />,
        },
      ]}
    />
  );
}

export function StatementDetailPage({ id }: { id: string }) {
  const t = useT();
  const state = useGet('/api/statements/{statementId}', { params: { path: { statementId: id } } });
  const me = useMe();
  // The statement as the last action answered it (issue, approve, pay), over the one first loaded.
  const [updated, setUpdated] = useState<Statement | null>(null);
  const s = updated ?? (state.status === 'ok' ? state.data : null);
  return (
    <>
      <p className="crumbs">
        <Link to="/statements">{t('settle.statements.back')}</Link>
      </p>
      {state.status === 'loading' && <Loading what={t('settle.statements.loading')} />}
      {state.problem && (
        <>
          <PageHeading title={t('settle.statements.detailTitle', { label: id })} />
          <ErrorBanner problem={state.problem} onRetry={state.reload} />
        </>
      )}
      {s && (
        <>
          <PageHeading title={t('settle.statements.detailTitle', { label: statementLabel(s) })}>
            <p className="subtitle">
              <StatusBadges statement={s} /> <PartnerLink id={s.partnerId} /> ·{' '}
              <ProgramLink id={s.programId} /> · <code>{s.id}</code>
            </p>
          </PageHeading>
          <StatementTotals statement={s} />
          <StatementTimeline statement={s} />
          <p className="downloads">
            <a
              className="button"
              href={`/api/statements/${encodeURIComponent(s.id)}/download?format=csv`}
              download
            >
              {t('settle.statements.downloadCsv')}
            </a>{' '}
            <a
              className="button"
              href={`/api/statements/${encodeURIComponent(s.id)}/download?format=json`}
              download
            >
              {t('settle.statements.downloadJson')}
            </a>
          </p>
          {canManageSettlement(me.data) && <StatementActions statement={s} onChange={setUpdated} />}
          <StatementLines
            statement={s}
            mayDispute={canOpenDisputes(me.data) && canDisputeStatement(s.status)}
          />
        </>
      )}
    </>
  );
}

function StatementTotals({ statement: s }: { statement: Statement }) {
  const t = useT();
  const money = (minor: number) => <SignedMoney minor={minor} currency={s.currency} />;
  return (
    <section aria-labelledby="totals" className="section">
      <h2 id="totals">{t('settle.statements.totals')}</h2>
      <Fields
        items={[
          [t('settle.statements.earned'), money(s.earnedMinor)],
          [t('settle.statements.clawbacks'), money(s.clawbackMinor)],
          [t('settle.statements.adjustments'), money(s.adjustmentMinor)],
          [t('settle.statements.carriedIn'), money(s.carriedInMinor)],
          [t('settle.statements.total'), <strong key="t">{money(s.totalMinor)}</strong>],
          [t('settle.statements.lines'), formatNumber(s.lines)],
          ...(s.paidAt
            ? ([
                [
                  t('settle.statements.paid'),
                  s.paidMinor === null ? null : <Money key="p" minor={s.paidMinor} currency={s.currency} />,
                ],
                [t('settle.statements.paymentReference'), s.paymentReference],
              ] as const)
            : []),
        ]}
      />
      {s.payout && <StatementPayout statement={s} payout={s.payout} />}
    </section>
  );
}

/** An exact decimal rate as the reader writes decimals (0,9259 in French), never through a float. */
export function rateDisplay(rate: string): string {
  const sep =
    new Intl.NumberFormat(locale()).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
  return rate.replace('.', sep);
}

/**
 * The payout in the partner's currency (issue 17): the statement's total in its own currency, the rate
 * and how it was had, the lines converted one by one, the rounding difference and the converted total
 * (an estimate at the latest rate until the rate is fixed).
 */
function StatementPayout({
  statement: s,
  payout: p,
}: {
  statement: Statement;
  payout: NonNullable<Statement['payout']>;
}) {
  const t = useT();
  const money = (minor: number | null) =>
    minor === null ? <Dash /> : <SignedMoney minor={minor} currency={p.currency} />;
  const how =
    p.rate === null
      ? t('settle.payout.noRate', { currency: p.currency, from: s.currency })
      : p.basis === 'period-average' && p.rateFirstDay && p.rateDay && p.rateDays !== null
        ? t('settle.payout.basisAverage', {
            days: p.rateDays,
            first: formatDate(p.rateFirstDay),
            last: formatDate(p.rateDay),
          })
        : t(p.estimate ? 'settle.payout.basisLatest' : 'settle.payout.basisPayoutDay', {
            day: p.rateDay ? formatDate(p.rateDay) : '',
          });
  return (
    <>
      <h3 id="payout">{t('settle.payout.title', { currency: p.currency })}</h3>
      {p.estimate && <p className="muted">{t('settle.payout.estimateNote')}</p>}
      <Fields
        items={[
          [t('settle.payout.original'), <SignedMoney key="o" minor={s.totalMinor} currency={s.currency} />],
          [
            t('settle.payout.rate'),
            p.rate === null
              ? how
              : `1 ${s.currency} = ${rateDisplay(p.rate)} ${p.currency} — ${how}${p.bridged ? ` (${t('settle.payout.bridged')})` : ''}`,
          ],
          [t('settle.payout.lines'), money(p.linesMinor)],
          [t('settle.payout.rounding'), money(p.roundingMinor)],
          [
            p.estimate ? t('settle.payout.convertedEstimate') : t('settle.payout.converted'),
            <strong key="c">{money(p.totalMinor)}</strong>,
          ],
        ]}
      />
    </>
  );
}

function StatementTimeline({ statement: s }: { statement: Statement }) {
  const t = useT();
  const steps = statementTimeline(s);
  const current = steps.reduce((last, step, i) => (step.state === 'done' ? i : last), -1);
  return (
    <section aria-labelledby="life" className="section">
      <h2 id="life">{t('settle.statements.life')}</h2>
      <ol className="timeline">
        {steps.map((step, i) => (
          <li
            key={step.key}
            className={`timeline-step timeline-${step.state}`}
            aria-current={i === current ? 'step' : undefined}
            data-step={step.key}
          >
            <span className="timeline-label">{t(`settle.statements.step.${step.key}`)}</span>{' '}
            {step.at ? (
              <IsoTime value={step.at} />
            ) : (
              <span className="muted">
                {step.state === 'next' ? t('settle.statements.next') : t('settle.statements.notYet')}
              </span>
            )}
          </li>
        ))}
      </ol>
      <p>
        <Trans
          i18nKey={s.overdue ? 'settle.statements.calendarOverdue' : 'settle.statements.calendar'}
          components={{
            close: <IsoTime value={s.closeOn} dateOnly />,
            pay: (
              <strong>
                <IsoTime value={s.payOn} dateOnly />
              </strong>
            ),
            overdue: <Badge tone="bad">{t('settle.overdue')}</Badge>,
          }}
        />
      </p>
    </section>
  );
}

function actionText(
  t: ReturnType<typeof useT>,
): Record<StatementAction, { button: string; hint: string; done: string }> {
  return {
    issue: {
      button: t('settle.statements.actions.issue.button'),
      hint: t('settle.statements.actions.issue.hint'),
      done: t('settle.statements.actions.issue.done'),
    },
    approve: {
      button: t('settle.statements.actions.approve.button'),
      hint: t('settle.statements.actions.approve.hint'),
      done: t('settle.statements.actions.approve.done'),
    },
    pay: {
      button: t('settle.statements.actions.pay.button'),
      hint: t('settle.statements.actions.pay.hint'),
      done: t('settle.statements.actions.pay.done'),
    },
  };
}

function StatementActions({
  statement,
  onChange,
}: {
  statement: Statement;
  onChange: (s: Statement) => void;
}) {
  const t = useT();
  const ACTION_TEXT = actionText(t);
  const action = nextAction(statement.status);
  const [reference, setReference] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const act = useAction((a: StatementAction, body: { reference?: string }) =>
    postSignedIn<Statement>(`/api/statements/${encodeURIComponent(statement.id)}/${a}`, body),
  );
  const [confirming, setConfirming] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    // Paying posts the payout: ask first.
    if (action === 'pay') setConfirming(true);
    else void perform();
  };
  const perform = async () => {
    setConfirming(false);
    if (!action) return;
    const ref = reference.trim();
    const answer = await act.run(action, action === 'pay' && ref ? { reference: ref } : {});
    if (answer) {
      setDone(
        action === 'pay' && answer.status === 'carried'
          ? t('settle.statements.carriedForward')
          : ACTION_TEXT[action].done,
      );
      setReference('');
      onChange(answer);
    }
  };
  return (
    <section aria-labelledby="actions" className="section">
      <h2 id="actions">{t('settle.statements.nextStep')}</h2>
      {action === null ? (
        <p className="muted">
          {statement.paymentReference
            ? t('settle.statements.nothingLeftReference', {
                status: enumText(t, 'statementStatus', statement.status),
                reference: statement.paymentReference,
              })
            : t('settle.statements.nothingLeft', {
                status: enumText(t, 'statementStatus', statement.status),
              })}
        </p>
      ) : (
        <form className="filters statement-action" aria-label={ACTION_TEXT[action].button} onSubmit={submit}>
          {action === 'pay' && (
            <div className="field">
              <label htmlFor="pay-reference">{t('settle.statements.paymentReference')}</label>
              <input
                id="pay-reference"
                type="text"
                autoComplete="off"
                maxLength={128}
                required={statement.totalMinor > 0}
                placeholder="WIRE-2017-0614"
                value={reference}
                onChange={(e) => setReference(e.target.value)}
              />
            </div>
          )}
          <div className="field field-actions">
            <button type="submit" className="button button-primary" disabled={act.busy || confirming}>
              {act.busy ? t('settle.statements.working') : ACTION_TEXT[action].button}
            </button>
          </div>
          <p className="hint as-of-hint">{ACTION_TEXT[action].hint}</p>
        </form>
      )}
      {confirming && action === 'pay' && (
        <Confirm
          question={t('settle.statements.confirmPay')}
          yes={t('settle.statements.confirmPayYes')}
          busy={act.busy}
          onYes={() => void perform()}
          onCancel={() => setConfirming(false)}
        >
          <p>
            <Trans
              i18nKey={reference.trim() ? 'settle.statements.payBodyReference' : 'settle.statements.payBody'}
              values={{ period: statement.period, reference: reference.trim() }}
              components={{
                money: <SignedMoney minor={statement.totalMinor} currency={statement.currency} />,
                partner: <PartnerLink id={statement.partnerId} />,
              }}
            />
          </p>
        </Confirm>
      )}
      {act.problem && <ErrorBanner problem={act.problem} />}
      <div role="status">{done && <p className="banner banner-info">{done}</p>}</div>
    </section>
  );
}

const lineSpec: ListSpec = {
  filters: ['kind'],
  sorts: ['lineNo'],
  defaultSort: 'lineNo',
  defaultLimit: 50,
};

function rateText(l: StatementLine): string {
  if (l.multiplier === 1_000_000) return formatPpmPercent(l.rate);
  return `${formatPpmPercent(l.rate)} ${formatPpmFactor(l.multiplier)} = ${formatPpmPercent(l.effectiveRate)}`;
}

function StatementLines({ statement, mayDispute }: { statement: Statement; mayDispute: boolean }) {
  const t = useT();
  const explain = useExplain();
  const disputes = useGet('/api/disputes', { params: { query: { statement: statement.id, limit: 500 } } });
  const [disputing, setDisputing] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const byLine = new Map<string, Dispute>();
  for (const d of disputes.data?.items ?? []) {
    const seen = byLine.get(d.statementLineId);
    if (!seen || seen.openedAt <= d.openedAt) byLine.set(d.statementLineId, d);
  }
  const showDisputes = mayDispute || byLine.size > 0;
  return (
    <section aria-labelledby="lines" className="section">
      <h2 id="lines">{t('settle.statements.lines')}</h2>
      <p className="muted">{t('settle.statements.linesIntro')}</p>
      <div role="status">{message && <p className="banner banner-info">{message}</p>}</div>
      <ListView<StatementLine>
        title={t('settle.statements.statementLines')}
        path={detailPath('statements', statement.id)}
        endpoint={`/api/statements/${encodeURIComponent(statement.id)}/lines`}
        spec={lineSpec}
        noun="line"
        filters={[
          {
            name: 'kind',
            label: t('settle.statements.kind'),
            kind: 'select',
            options: options(LINE_KINDS, (k) => enumText(t, 'lineKind', k)),
          },
        ]}
        rowKey={(l) => l.id}
        rowClassName={(l) =>
          l.kind === 'clawback' ? 'line-clawback' : l.amountMinor < 0 ? 'line-negative' : undefined
        }
        columns={[
          { key: 'no', header: '#', sort: 'lineNo', numeric: true, render: (l) => l.lineNo },
          {
            key: 'kind',
            header: t('settle.statements.kind'),
            render: (l) => <Badge tone={lineKindTone(l.kind)}>{enumText(t, 'lineKind', l.kind)}</Badge>,
          },
          {
            key: 'component',
            header: t('settle.statements.component'),
            render: (l) => <code>{l.component}</code>,
          },
          {
            key: 'order',
            header: t('settle.statements.order'),
            render: (l) =>
              l.orderId ? (
                <>
                  <Link to={detailPath('orders', l.orderId)}>{l.orderId}</Link>
                  <br />
                  <span className="muted">
                    {l.orderDate && <IsoTime value={l.orderDate} dateOnly />}
                    {l.family && ` · ${l.family}`}
                  </span>
                </>
              ) : (
                <Dash />
              ),
          },
          { key: 'tier', header: t('settle.statements.tier'), render: (l) => l.tier || <Dash /> },
          {
            key: 'base',
            header: t('settle.statements.base'),
            numeric: true,
            render: (l) => <Money minor={l.baseMinor} currency={l.currency} />,
          },
          { key: 'rate', header: t('settle.statements.rate'), numeric: true, render: (l) => rateText(l) },
          {
            key: 'amount',
            header: t('settle.statements.amount'),
            numeric: true,
            render: (l) => <SignedMoney minor={l.amountMinor} currency={l.currency} />,
          },
          ...(statement.payout
            ? [
                {
                  key: 'payoutAmount',
                  header: t('settle.payout.lineAmount', { currency: statement.payout.currency }),
                  numeric: true,
                  render: (l: StatementLine) =>
                    l.payoutAmountMinor === null || l.payoutCurrency === null ? (
                      <Dash />
                    ) : (
                      <SignedMoney minor={l.payoutAmountMinor} currency={l.payoutCurrency} />
                    ),
                },
              ]
            : []),
          ...(showDisputes
            ? [
                {
                  key: 'dispute',
                  header: t('settle.statements.dispute'),
                  render: (l: StatementLine) => {
                    const d = byLine.get(l.id);
                    return (
                      <>
                        {d && (
                          <Link to={detailPath('disputes', d.id)}>
                            <Badge tone={disputeTone(d.status)}>
                              {enumText(t, 'disputeStatus', d.status)}
                            </Badge>
                            <span className="visually-hidden">
                              {' '}
                              {t('settle.statements.disputeOfLine', { line: l.lineNo })}
                            </span>
                          </Link>
                        )}
                        {mayDispute && d?.status !== 'open' && (
                          <button
                            type="button"
                            className="button button-small"
                            aria-expanded={disputing === l.id}
                            aria-controls={`dispute-${l.id}`}
                            onClick={() => {
                              setMessage(null);
                              setDisputing((current) => (current === l.id ? null : l.id));
                            }}
                          >
                            {t('settle.statements.dispute')}
                            <span className="visually-hidden">
                              {' '}
                              {t('settle.statements.lineN', { line: l.lineNo })}
                            </span>
                          </button>
                        )}
                      </>
                    );
                  },
                },
              ]
            : []),
          {
            key: 'explanation',
            header: t('settle.statements.explanation'),
            render: (l) => (
              <span className="explanation">{explain(l.explanation, l.explanationMessage)}</span>
            ),
          },
        ]}
        expanded={(l) =>
          disputing === l.id ? (
            <DisputeLineForm
              statement={statement}
              line={l}
              onCancel={() => setDisputing(null)}
              onDone={(d) => {
                setDisputing(null);
                setMessage(
                  t('settle.statements.disputeOpened', {
                    line: l.lineNo,
                    amount: formatMoney(d.requestedMinor, d.currency),
                  }),
                );
                disputes.reload();
              }}
            />
          ) : null
        }
      />
      {disputes.problem && <ErrorBanner problem={disputes.problem} onRetry={disputes.reload} />}
      <StatementDisputes statementId={statement.id} disputes={disputes.data?.items ?? []} />
    </section>
  );
}

function DisputeLineForm({
  statement,
  line,
  onDone,
  onCancel,
}: {
  statement: Statement;
  line: StatementLine;
  onDone: (d: Dispute) => void;
  onCancel: () => void;
}) {
  const t = useT();
  const [reason, setReason] = useState('');
  const [amount, setAmount] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [amountError, setAmountError] = useState<string | null>(null);
  const act = useAction(
    (body: { statementId: string; lineId: string; reason: string; amountMinor?: number }) =>
      postSignedIn<Dispute>('/api/disputes', body),
  );
  const reverse = formatMoney(-line.amountMinor, line.currency);
  const prefix = `dispute-${line.id}`;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setAmountError(null);
    if (!reason.trim()) {
      setError(t('settle.statements.sayWhy'));
      return;
    }
    let amountMinor: number | undefined;
    if (amount.trim()) {
      // Parsed in the person's locale ("150,25" in French is 150.25), or refused: never scaled.
      const parsed = parseMoneyInput(amount, line.currency, { signed: true });
      if (!parsed.ok || parsed.minor === 0) {
        setAmountError(
          parsed.ok ? t('settle.statements.nonZero', { currency: line.currency }) : parsed.message,
        );
        return;
      }
      amountMinor = parsed.minor;
    }
    const d = await act.run({
      statementId: statement.id,
      lineId: line.id,
      reason: reason.trim(),
      ...(amountMinor !== undefined ? { amountMinor } : {}),
    });
    if (d) onDone(d);
  };
  return (
    <form
      id={prefix}
      className="inline-form"
      aria-labelledby={`${prefix}-title`}
      onSubmit={submit}
      noValidate
    >
      <h3 id={`${prefix}-title`}>
        {t('settle.statements.disputeTitle', {
          line: line.lineNo,
          component: line.component,
          amount: formatMoney(line.amountMinor, line.currency),
        })}
      </h3>
      <div className="inline-form-fields">
        <div className="field field-wide">
          <label htmlFor={`${prefix}-reason`}>{t('settle.statements.why')}</label>
          <textarea
            id={`${prefix}-reason`}
            rows={3}
            maxLength={2000}
            required
            autoFocus
            value={reason}
            aria-invalid={error && !reason.trim() ? true : undefined}
            onChange={(e) => setReason(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${prefix}-amount`}>
            {t('settle.statements.askedAmount', { currency: line.currency })}
          </label>
          <input
            id={`${prefix}-amount`}
            type="text"
            inputMode="decimal"
            autoComplete="off"
            value={amount}
            aria-invalid={amountError ? true : undefined}
            aria-describedby={amountError ? `${prefix}-amount-error` : `${prefix}-amount-hint`}
            onChange={(e) => setAmount(e.target.value)}
          />
          <small id={`${prefix}-amount-hint`} className="hint">
            {t('settle.statements.askedHint', { amount: reverse })}
          </small>
          {amountError && (
            <p id={`${prefix}-amount-error`} className="hint field-error" role="alert">
              {amountError}
            </p>
          )}
        </div>
      </div>
      {error && (
        <p className="hint field-error" role="alert">
          {error}
        </p>
      )}
      {act.problem && <ErrorBanner problem={act.problem} />}
      <div className="field-actions">
        <button type="submit" className="button button-primary" disabled={act.busy}>
          {act.busy ? t('settle.statements.opening') : t('settle.statements.openDispute')}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t('settle.statements.cancel')}
        </button>
      </div>
    </form>
  );
}

function StatementDisputes({ statementId, disputes }: { statementId: string; disputes: readonly Dispute[] }) {
  const t = useT();
  return (
    <>
      <h3 id="statement-disputes">{t('settle.statements.disputesHeading', { count: disputes.length })}</h3>
      {disputes.length === 0 ? (
        <Empty>{t('settle.statements.noDisputes')}</Empty>
      ) : (
        <>
          <DataTable<Dispute>
            caption={t('settle.statements.disputesCaption')}
            rows={disputes}
            rowKey={(d) => d.id}
            columns={[
              {
                key: 'opened',
                header: t('settle.statements.opened'),
                render: (d) => (
                  <Link to={detailPath('disputes', d.id)}>
                    <IsoTime value={d.openedAt} />
                  </Link>
                ),
              },
              { key: 'reason', header: t('settle.statements.reason'), render: (d) => d.reason },
              {
                key: 'asked',
                header: t('settle.statements.askedFor'),
                numeric: true,
                render: (d) => <SignedMoney minor={d.requestedMinor} currency={d.currency} />,
              },
              {
                key: 'status',
                header: t('settle.statements.status'),
                render: (d) => (
                  <Badge tone={disputeTone(d.status)}>{enumText(t, 'disputeStatus', d.status)}</Badge>
                ),
              },
              {
                key: 'resolution',
                header: t('settle.statements.resolution'),
                render: (d) => <DisputeResolution dispute={d} />,
              },
            ]}
          />
          <p>
            <Link to={`/disputes?statement=${encodeURIComponent(statementId)}`}>
              {t('settle.statements.disputesLink')}
            </Link>
          </p>
        </>
      )}
    </>
  );
}
