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
import { postSignedIn, useAction, useApi, useMe } from '../hooks';
import { canManageSettlement, canOpenDisputes, isVendorReader } from '../lib/access';
import type { Page } from '../lib/api';
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
import { DisputeResolution, StatusBadges } from '../components/settlement';
import { Link } from '../router';
import type { Dispute, Statement, StatementLine } from './types';

const ID_PATTERN = '[a-z]+_[0-9a-z]+';

const statementSpec: ListSpec = {
  filters: ['status', 'period', 'program', 'partner'],
  sorts: ['period', 'createdAt', 'totalMinor'],
  defaultSort: 'period',
  defaultLimit: 50,
};

export function StatementsPage() {
  const me = useMe();
  const programs = useProgramOptions();
  const vendor = isVendorReader(me.data);
  // Partners never see drafts: the filter does not offer them.
  const statuses = STATEMENT_STATUSES.filter((s) => vendor || s !== 'draft');
  const filters: FilterField[] = [
    { name: 'status', label: 'Status', kind: 'select', options: options(statuses) },
    {
      name: 'period',
      label: 'Period',
      kind: 'text',
      placeholder: 'FY18-Q1',
      hint: 'A period code, e.g. FY18-Q1',
    },
    { name: 'program', label: 'Program', kind: 'select', options: programs, placeholder: 'prg_…' },
    ...(vendor
      ? [
          {
            name: 'partner',
            label: 'Partner id',
            kind: 'text' as const,
            placeholder: 'ptn_…',
            pattern: ID_PATTERN,
          },
        ]
      : []),
  ];
  return (
    <ListPage<Statement>
      title="Statements"
      path="/statements"
      endpoint="/api/statements"
      spec={statementSpec}
      noun="statement"
      intro={
        <p className="subtitle">
          {vendor
            ? 'What each partner is owed per program period: drafts built at the close, then issued, approved and paid.'
            : 'What you are owed per program period, line by line, once the vendor has issued it.'}
        </p>
      }
      filters={filters}
      rowKey={(s) => s.id}
      columns={[
        {
          key: 'period',
          header: 'Statement',
          sort: 'period',
          render: (s) => <Link to={detailPath('statements', s.id)}>{statementLabel(s)}</Link>,
        },
        ...(vendor
          ? [
              {
                key: 'partner',
                header: 'Partner',
                render: (s: Statement) => <PartnerLink id={s.partnerId} />,
              },
            ]
          : []),
        { key: 'program', header: 'Program', render: (s) => <ProgramLink id={s.programId} /> },
        { key: 'status', header: 'Status', render: (s) => <StatusBadges statement={s} /> },
        { key: 'lines', header: 'Lines', numeric: true, render: (s) => s.lines.toLocaleString('en-US') },
        {
          key: 'earned',
          header: 'Earned',
          numeric: true,
          render: (s) => <SignedMoney minor={s.earnedMinor} currency={s.currency} />,
        },
        {
          key: 'clawback',
          header: 'Clawbacks',
          numeric: true,
          render: (s) => <SignedMoney minor={s.clawbackMinor} currency={s.currency} />,
        },
        {
          key: 'adjustment',
          header: 'Adjustments',
          numeric: true,
          render: (s) => <SignedMoney minor={s.adjustmentMinor} currency={s.currency} />,
        },
        {
          key: 'carried',
          header: 'Carried in',
          numeric: true,
          render: (s) => <SignedMoney minor={s.carriedInMinor} currency={s.currency} />,
        },
        {
          key: 'total',
          header: 'Total',
          sort: 'totalMinor',
          numeric: true,
          render: (s) => (
            <strong>
              <SignedMoney minor={s.totalMinor} currency={s.currency} />
            </strong>
          ),
        },
        { key: 'payOn', header: 'Pay on', render: (s) => <IsoTime value={s.payOn} dateOnly /> },
        {
          key: 'created',
          header: 'Created',
          sort: 'createdAt',
          render: (s) => <IsoTime value={s.createdAt} dateOnly />,
        },
      ]}
    />
  );
}

export function StatementDetailPage({ id }: { id: string }) {
  const state = useApi<Statement>(`/api/statements/${encodeURIComponent(id)}`);
  const me = useMe();
  // The statement as the last action answered it (issue, approve, pay), over the one first loaded.
  const [updated, setUpdated] = useState<Statement | null>(null);
  const s = updated ?? (state.status === 'ok' ? state.data : null);
  return (
    <>
      <p className="crumbs">
        <Link to="/statements">← Statements</Link>
      </p>
      {state.status === 'loading' && <Loading what="Loading statement" />}
      {state.problem && (
        <>
          <PageHeading title={`Statement ${id}`} />
          <ErrorBanner problem={state.problem} onRetry={state.reload} />
        </>
      )}
      {s && (
        <>
          <PageHeading title={`Statement ${statementLabel(s)}`}>
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
              Download CSV
            </a>{' '}
            <a
              className="button"
              href={`/api/statements/${encodeURIComponent(s.id)}/download?format=json`}
              download
            >
              Download JSON
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
  const money = (minor: number) => <SignedMoney minor={minor} currency={s.currency} />;
  return (
    <section aria-labelledby="totals" className="section">
      <h2 id="totals">Totals</h2>
      <Fields
        items={[
          ['Earned', money(s.earnedMinor)],
          ['Clawbacks', money(s.clawbackMinor)],
          ['Adjustments', money(s.adjustmentMinor)],
          ['Carried in', money(s.carriedInMinor)],
          ['Total', <strong key="t">{money(s.totalMinor)}</strong>],
          ['Lines', s.lines.toLocaleString('en-US')],
          ...(s.paidAt
            ? ([
                [
                  'Paid',
                  s.paidMinor === null ? null : <Money key="p" minor={s.paidMinor} currency={s.currency} />,
                ],
                ['Payment reference', s.paymentReference],
              ] as const)
            : []),
        ]}
      />
    </section>
  );
}

function StatementTimeline({ statement: s }: { statement: Statement }) {
  const steps = statementTimeline(s);
  const current = steps.reduce((last, step, i) => (step.state === 'done' ? i : last), -1);
  return (
    <section aria-labelledby="life" className="section">
      <h2 id="life">Status</h2>
      <ol className="timeline">
        {steps.map((step, i) => (
          <li
            key={step.key}
            className={`timeline-step timeline-${step.state}`}
            aria-current={i === current ? 'step' : undefined}
            data-step={step.key}
          >
            <span className="timeline-label">{step.label}</span>{' '}
            {step.at ? (
              <IsoTime value={step.at} />
            ) : (
              <span className="muted">{step.state === 'next' ? 'next' : 'not yet'}</span>
            )}
          </li>
        ))}
      </ol>
      <p>
        Close on <IsoTime value={s.closeOn} dateOnly />, pay on{' '}
        <strong>
          <IsoTime value={s.payOn} dateOnly />
        </strong>{' '}
        on the program&apos;s payout calendar
        {s.overdue ? (
          <>
            {' '}
            <Badge tone="bad">overdue</Badge> (not paid by its pay-on date)
          </>
        ) : null}
        .
      </p>
    </section>
  );
}

const ACTION_TEXT: Record<StatementAction, { button: string; hint: string; done: string }> = {
  issue: {
    button: 'Issue statement',
    hint: 'The partner sees the statement once issued; its lines are then fixed.',
    done: 'Issued: the partner can see it now.',
  },
  approve: {
    button: 'Approve statement',
    hint: 'Finance approves the issued statement for payment.',
    done: 'Approved for payment.',
  },
  pay: {
    button: 'Record payment',
    hint: 'Records the payment and posts the payout; a total below the program’s minimum payout is carried to the next statement instead.',
    done: 'Payment recorded.',
  },
};

function StatementActions({
  statement,
  onChange,
}: {
  statement: Statement;
  onChange: (s: Statement) => void;
}) {
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
          ? 'Carried forward: the total is below the minimum payout and moves to the next statement.'
          : ACTION_TEXT[action].done,
      );
      setReference('');
      onChange(answer);
    }
  };
  return (
    <section aria-labelledby="actions" className="section">
      <h2 id="actions">Next step</h2>
      {action === null ? (
        <p className="muted">
          Nothing left to do: this statement is {statement.status}
          {statement.paymentReference ? ` (reference ${statement.paymentReference})` : ''}.
        </p>
      ) : (
        <form className="filters statement-action" aria-label={ACTION_TEXT[action].button} onSubmit={submit}>
          {action === 'pay' && (
            <div className="field">
              <label htmlFor="pay-reference">Payment reference</label>
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
              {act.busy ? 'Working…' : ACTION_TEXT[action].button}
            </button>
          </div>
          <p className="hint as-of-hint">{ACTION_TEXT[action].hint}</p>
        </form>
      )}
      {confirming && action === 'pay' && (
        <Confirm
          question="Record this payment?"
          yes="Yes, record the payment"
          busy={act.busy}
          onYes={() => void perform()}
          onCancel={() => setConfirming(false)}
        >
          <p>
            <SignedMoney minor={statement.totalMinor} currency={statement.currency} /> to{' '}
            <PartnerLink id={statement.partnerId} /> for {statement.period}
            {reference.trim() ? `, reference ${reference.trim()}` : ''}. The payout is posted to the ledger
            and cannot be undone.
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
  const disputes = useApi<Page<Dispute>>('/api/disputes', { statement: statement.id, limit: 500 });
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
      <h2 id="lines">Lines</h2>
      <p className="muted">
        Each line says what produced it: the rule, the base, the rate with its multipliers, the tier held.
        Amounts are what the partner is owed; negative lines (returns and clawbacks) take money back.
      </p>
      <div role="status">{message && <p className="banner banner-info">{message}</p>}</div>
      <ListView<StatementLine>
        title="Statement lines"
        path={detailPath('statements', statement.id)}
        endpoint={`/api/statements/${encodeURIComponent(statement.id)}/lines`}
        spec={lineSpec}
        noun="line"
        filters={[{ name: 'kind', label: 'Kind', kind: 'select', options: options(LINE_KINDS) }]}
        rowKey={(l) => l.id}
        rowClassName={(l) =>
          l.kind === 'clawback' ? 'line-clawback' : l.amountMinor < 0 ? 'line-negative' : undefined
        }
        columns={[
          { key: 'no', header: '#', sort: 'lineNo', numeric: true, render: (l) => l.lineNo },
          {
            key: 'kind',
            header: 'Kind',
            render: (l) => <Badge tone={lineKindTone(l.kind)}>{l.kind}</Badge>,
          },
          { key: 'component', header: 'Component', render: (l) => <code>{l.component}</code> },
          {
            key: 'order',
            header: 'Order',
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
          { key: 'tier', header: 'Tier', render: (l) => l.tier || <Dash /> },
          {
            key: 'base',
            header: 'Base',
            numeric: true,
            render: (l) => <Money minor={l.baseMinor} currency={l.currency} />,
          },
          { key: 'rate', header: 'Rate', numeric: true, render: (l) => rateText(l) },
          {
            key: 'amount',
            header: 'Amount',
            numeric: true,
            render: (l) => <SignedMoney minor={l.amountMinor} currency={l.currency} />,
          },
          ...(showDisputes
            ? [
                {
                  key: 'dispute',
                  header: 'Dispute',
                  render: (l: StatementLine) => {
                    const d = byLine.get(l.id);
                    return (
                      <>
                        {d && (
                          <Link to={detailPath('disputes', d.id)}>
                            <Badge tone={disputeTone(d.status)}>{d.status}</Badge>
                            <span className="visually-hidden"> dispute of line {l.lineNo}</span>
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
                            Dispute<span className="visually-hidden"> line {l.lineNo}</span>
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
            header: 'Explanation',
            render: (l) => <span className="explanation">{l.explanation}</span>,
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
                  `Dispute opened on line ${l.lineNo}, asking for ${formatMoney(d.requestedMinor, d.currency)}. The vendor decides it; its answer shows under Disputes.`,
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
      setError('Say why the line is wrong.');
      return;
    }
    let amountMinor: number | undefined;
    if (amount.trim()) {
      // Parsed in the person's locale ("150,25" in French is 150.25), or refused: never scaled.
      const parsed = parseMoneyInput(amount, line.currency, { signed: true });
      if (!parsed.ok || parsed.minor === 0) {
        setAmountError(
          parsed.ok
            ? `Enter a non-zero amount in ${line.currency}, e.g. 400 or -400 (or leave it empty).`
            : parsed.message,
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
        Dispute line {line.lineNo}: {line.component}, {formatMoney(line.amountMinor, line.currency)}
      </h3>
      <div className="inline-form-fields">
        <div className="field field-wide">
          <label htmlFor={`${prefix}-reason`}>Why is this line wrong?</label>
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
          <label htmlFor={`${prefix}-amount`}>Adjustment asked for ({line.currency}), optional</label>
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
            Positive = owed to you. Empty: reverse the line ({reverse}).
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
          {act.busy ? 'Opening…' : 'Open dispute'}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function StatementDisputes({ statementId, disputes }: { statementId: string; disputes: readonly Dispute[] }) {
  return (
    <>
      <h3 id="statement-disputes">Disputes on this statement ({disputes.length})</h3>
      {disputes.length === 0 ? (
        <Empty>No line of this statement is disputed.</Empty>
      ) : (
        <>
          <DataTable<Dispute>
            caption="Disputes on this statement"
            rows={disputes}
            rowKey={(d) => d.id}
            columns={[
              {
                key: 'opened',
                header: 'Opened',
                render: (d) => (
                  <Link to={detailPath('disputes', d.id)}>
                    <IsoTime value={d.openedAt} />
                  </Link>
                ),
              },
              { key: 'reason', header: 'Reason', render: (d) => d.reason },
              {
                key: 'asked',
                header: 'Asked for',
                numeric: true,
                render: (d) => <SignedMoney minor={d.requestedMinor} currency={d.currency} />,
              },
              {
                key: 'status',
                header: 'Status',
                render: (d) => <Badge tone={disputeTone(d.status)}>{d.status}</Badge>,
              },
              {
                key: 'resolution',
                header: 'Resolution',
                render: (d) => <DisputeResolution dispute={d} />,
              },
            ]}
          />
          <p>
            <Link to={`/disputes?statement=${encodeURIComponent(statementId)}`}>
              These disputes on the Disputes page
            </Link>
          </p>
        </>
      )}
    </>
  );
}
