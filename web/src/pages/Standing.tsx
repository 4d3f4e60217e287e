/**
 * A partner's standing in one program (GET /api/partners/{id}/progress): current tier and statuses,
 * every higher tier path by path with gaps and progress bars, the service-delivery answer, a what-if
 * form for a pending deal and an as-of day.
 */
import { useState, type FormEvent } from 'react';
import { AsOfForm, programEndChoices } from '../components/AsOfForm';
import { DataTable } from '../components/DataTable';
import { Badge, Dash, Empty, ErrorBanner, Fields, IsoTime, Loading } from '../components/ui';
import { compact } from '../api/client';
import type { paths } from '../api/types';
import { useGet } from '../hooks';
import { Trans } from 'react-i18next';
import { enumText } from '../components/settlement';
import { formatDate, formatMoney, formatNumber, locale, plainT, useExplain, useT } from '../i18n';
import { formatPpmFactor, moneyInputText, parseMoneyInput } from '../lib/money';
import { formatMeasureValue, percentOf, requirementText } from '../lib/standing';
import { PRODUCT_FAMILIES } from './lists';
import type {
  Membership,
  PartnerProgress,
  PathProgress,
  ProgramDetail,
  ProgramVersion,
  RequirementProgress,
  TierProgress,
} from './types';

/** A product family, as the progress query's what-if takes it. */
type ProductFamily = NonNullable<
  NonNullable<paths['/api/partners/{partnerId}/progress']['get']['parameters']['query']>['addFamily']
>;

export interface PendingDeal {
  readonly family: ProductFamily;
  readonly amountMinor: number;
}

function sourceTone(source: string): 'ok' | 'warn' | 'info' | 'neutral' {
  if (source === 'earned') return 'ok';
  if (source === 'invited') return 'info';
  if (source === 'grandfathered' || source === 'status-match') return 'warn';
  return 'neutral';
}

function Check({ met, what }: { met: boolean; what?: string }) {
  const t = useT();
  return met ? (
    <span
      className="check check-yes"
      title={what ? t('settle.standing.whatMet', { what }) : t('settle.standing.met')}
    >
      ✓<span className="visually-hidden"> {t('settle.standing.met')}</span>
    </span>
  ) : (
    <span
      className="check check-no"
      title={what ? t('settle.standing.whatNotMet', { what }) : t('settle.standing.notMet')}
    >
      ✗<span className="visually-hidden"> {t('settle.standing.notMet')}</span>
    </span>
  );
}

/** A progress bar toward a target; with `pending`, a lighter band shows what the deal would add. */
function Bar({
  current,
  target,
  pending,
  label,
}: {
  current: number;
  target: number;
  pending?: number;
  label: string;
}) {
  const t = useT();
  const pct = percentOf(current, target);
  const pendingPct = pending === undefined ? null : percentOf(pending, target);
  const text =
    pendingPct !== null && pendingPct !== pct
      ? t('settle.standing.percentWithDeal', { pct, pending: pendingPct })
      : t('settle.standing.percent', { pct });
  return (
    <span className="bar-cell">
      <span
        className="bar"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-valuetext={text}
      >
        {pendingPct !== null && pendingPct > pct && (
          <span className="bar-pending" style={{ width: `${pendingPct}%` }} />
        )}
        <span className={pct >= 100 ? 'bar-fill bar-done' : 'bar-fill'} style={{ width: `${pct}%` }} />
      </span>
      <span className="bar-text" aria-hidden="true">
        {text}
      </span>
    </span>
  );
}

function versionFor(program: ProgramDetail | null, version: string | undefined): ProgramVersion | undefined {
  if (!program) return undefined;
  return (
    program.versions.find((v) => v.version === version) ??
    program.versions.find((v) => v.status === 'published') ??
    program.versions[program.versions.length - 1]
  );
}

export function StandingSection({
  partnerId,
  programId,
  deal,
}: {
  partnerId: string;
  programId: string;
  /** A deal registration of the partner: the standing as if it were won (GET .../progress?deal=). */
  deal?: string;
}) {
  const t = useT();
  const program = useGet('/api/programs/{programId}', { params: { path: { programId } } }, { cache: true });
  const [asOf, setAsOf] = useState('');
  const [pending, setPending] = useState<PendingDeal | null>(null);
  const progress = useGet(
    '/api/partners/{partnerId}/progress',
    {
      params: {
        path: { partnerId },
        query: compact({
          program: programId,
          asOf,
          addFamily: deal ? undefined : pending?.family,
          addAmountMinor: deal ? undefined : pending?.amountMinor,
          deal,
        }),
      },
    },
    { keepPrevious: true },
  );
  const data = progress.status === 'error' ? null : progress.data;
  const version = versionFor(program.data, data?.program.version);
  const currency = data?.evaluation.measures.currency ?? version?.definition.currency ?? null;
  const tierNames = new Map<string, string>();
  for (const v of program.data?.versions ?? [])
    for (const tier of v.tiers) tierNames.set(tier.code, tier.name);
  const nameOf = (code: string) => tierNames.get(code) ?? code;
  const headingId = `standing-${programId}`;
  const idPrefix = `standing-${programId}`;

  return (
    <section aria-labelledby={headingId} className="section standing">
      <h2 id={headingId}>
        {deal
          ? t('settle.standing.titleWithDeal', { program: program.data?.name ?? programId })
          : t('settle.standing.title', { program: program.data?.name ?? programId })}
      </h2>
      {deal && <p className="muted">{t('settle.standing.dealIntro')}</p>}
      <AsOfForm
        idPrefix={idPrefix}
        value={asOf}
        onChange={setAsOf}
        quick={programEndChoices(program.data?.versions)}
      />
      {progress.problem && <ErrorBanner problem={progress.problem} onRetry={progress.reload} />}
      {progress.status === 'loading' && !data && <Loading what={t('settle.standing.loading')} />}
      {data && (
        <div
          aria-busy={progress.status === 'loading' || undefined}
          className={progress.status === 'loading' ? 'busy' : undefined}
        >
          <p className="muted">
            <Trans
              i18nKey={data.evaluation.zone ? 'settle.standing.asOfZone' : 'settle.standing.asOf'}
              values={{
                code: data.program.code,
                version: data.program.version,
                date: formatDate(data.asOf),
                zone: data.evaluation.zone,
              }}
              components={{ code: <code />, strong: <strong />, zone: <code /> }}
            />
          </p>
          <CurrentTier data={data} nameOf={nameOf} />
          <Statuses data={data} version={version} nameOf={nameOf} />
          <ServiceDeliveryView data={data} />
          {currency && !deal && (
            <WhatIfForm idPrefix={idPrefix} currency={currency} value={pending} onApply={setPending} />
          )}
          {pending && data.evaluation.withPending && currency && (
            <PendingSummary data={data} pending={pending} currency={currency} nameOf={nameOf} />
          )}
          <Targets data={data} nameOf={nameOf} />
          <History data={data} nameOf={nameOf} />
        </div>
      )}
    </section>
  );
}

function CurrentTier({ data, nameOf }: { data: PartnerProgress; nameOf: (code: string) => string }) {
  const t = useT();
  const explain = useExplain();
  const held = data.tier;
  const m = data.evaluation.measures;
  const money = (minor: number) => formatMoney(minor, m.currency, { dropZeroMinor: true });
  return (
    <>
      <h3>{t('settle.standing.currentTier')}</h3>
      {held ? (
        <Fields
          items={[
            [
              t('settle.standing.tier'),
              <span key="t" className="current-tier">
                <strong>{nameOf(held.code)}</strong> <code data-testid="current-tier-code">{held.code}</code>
              </span>,
            ],
            [t('settle.standing.since'), <IsoTime key="s" value={held.validFrom} dateOnly />],
            [
              t('settle.standing.until'),
              held.validTo ? (
                <IsoTime key="u" value={held.validTo} dateOnly />
              ) : (
                t('settle.standing.openEnded')
              ),
            ],
            [
              t('settle.standing.source'),
              <Badge key="src" tone={sourceTone(held.source)}>
                {enumText(t, 'membershipSource', held.source)}
              </Badge>,
            ],
            [t('settle.standing.reason'), explain(held.reason, held.reasonMessage)],
            [
              t('settle.standing.grandfatheredUntil'),
              held.grandfatheredUntil ? <IsoTime key="g" value={held.grandfatheredUntil} dateOnly /> : null,
            ],
          ]}
        />
      ) : (
        <Empty>
          <Trans
            i18nKey="settle.standing.noTier"
            values={{
              date: formatDate(data.asOf),
              name: nameOf(data.evaluation.currentTier),
              code: data.evaluation.currentTier,
            }}
            components={{ strong: <strong />, code: <code /> }}
          />
        </Empty>
      )}
      <Fields
        items={[
          [
            t('settle.standing.evaluatedTier'),
            <span key="e">
              {nameOf(data.evaluation.currentTier)} <code>{data.evaluation.currentTier}</code>
            </span>,
          ],
          [
            t('settle.standing.qualifyingRevenue'),
            <span key="r" className="num">
              {money(m.revenueMinor)}
            </span>,
          ],
          [
            t('settle.standing.rawRevenue'),
            <span key="rr" className="num">
              {money(m.rawRevenueMinor)}
            </span>,
          ],
          [
            t('settle.standing.qualifyingServices'),
            <span key="s" className="num">
              {money(m.servicesRevenueMinor)}
            </span>,
          ],
          [t('settle.standing.credits'), m.credits === null ? null : formatNumber(m.credits)],
          [
            t('settle.standing.multipliers'),
            m.multiplierDetails && m.multiplierDetails.length > 0
              ? m.multiplierDetails
                  .map((d) =>
                    t('settle.standing.multiplierOn', {
                      name: d.name,
                      factor: formatPpmFactor(d.factor),
                      amount: money(d.baseMinor),
                      scope: d.scope.join(', '),
                    }),
                  )
                  .join('; ')
              : m.multipliers.length
                ? m.multipliers.join(', ')
                : t('settle.standing.none'),
          ],
          ...(data.crossCredit ?? []).map((c, i): [string, string] => [
            i === 0 ? t('settle.standing.throughAnotherVendor') : '',
            explain(c.sentence, c.sentenceMessage),
          ]),
        ]}
      />
    </>
  );
}

function Statuses({
  data,
  version,
  nameOf,
}: {
  data: PartnerProgress;
  version: ProgramVersion | undefined;
  nameOf: (code: string) => string;
}) {
  const t = useT();
  const explain = useExplain();
  const held = new Set(data.statuses.map((s) => s.code));
  const notHeld = (version?.tiers ?? []).filter((tier) => tier.invitationOnly && !held.has(tier.code));
  return (
    <>
      <h3>{t('settle.standing.statuses')}</h3>
      {data.statuses.length === 0 ? (
        <Empty>
          {notHeld.length > 0
            ? t('settle.standing.noStatusesNotHeld', {
                date: formatDate(data.asOf),
                names: notHeld.map((tier) => tier.name).join(', '),
              })
            : t('settle.standing.noStatuses', { date: formatDate(data.asOf) })}
        </Empty>
      ) : (
        <DataTable<Membership>
          caption={t('settle.standing.statuses')}
          rows={data.statuses}
          rowKey={(s) => s.id}
          columns={[
            {
              key: 'status',
              header: t('settle.standing.status'),
              render: (s) => (
                <>
                  <strong>{nameOf(s.code)}</strong> <code>{s.code}</code>
                </>
              ),
            },
            {
              key: 'from',
              header: t('settle.standing.validFrom'),
              render: (s) => <IsoTime value={s.validFrom} dateOnly />,
            },
            {
              key: 'to',
              header: t('settle.standing.validTo'),
              render: (s) => <IsoTime value={s.validTo} dateOnly />,
            },
            { key: 'sponsor', header: t('settle.standing.sponsor'), render: (s) => s.sponsor ?? <Dash /> },
            {
              key: 'source',
              header: t('settle.standing.source'),
              render: (s) => (
                <Badge tone={sourceTone(s.source)}>{enumText(t, 'membershipSource', s.source)}</Badge>
              ),
            },
            {
              key: 'reason',
              header: t('settle.standing.reason'),
              render: (s) => explain(s.reason, s.reasonMessage),
            },
          ]}
        />
      )}
    </>
  );
}

function ServiceDeliveryView({ data }: { data: PartnerProgress }) {
  const t = useT();
  const explain = useExplain();
  const sd = data.serviceDelivery;
  return (
    <>
      <h3>{t('settle.standing.serviceDelivery')}</h3>
      <Fields
        items={[
          [
            t('settle.standing.answer'),
            <Badge key="a" tone={sd.mayDeliver ? 'ok' : 'warn'}>
              {sd.mayDeliver ? t('settle.standing.mayDeliver') : t('settle.standing.mustResell')}
            </Badge>,
          ],
          [t('settle.standing.reason'), explain(sd.reason, sd.reasonMessage)],
          [t('settle.standing.servicesPeople'), formatNumber(sd.servicesCertifiedPeople)],
          [
            t('settle.standing.servicesComponents'),
            sd.components.length === 0
              ? t('settle.standing.none')
              : sd.components
                  .map((c) =>
                    c.eligible
                      ? t('settle.standing.eligible', {
                          code: c.code,
                          delivery: enumText(t, 'delivery', c.delivery),
                        })
                      : t('settle.standing.notEligible', {
                          code: c.code,
                          delivery: enumText(t, 'delivery', c.delivery),
                        }),
                  )
                  .join('; '),
          ],
        ]}
      />
    </>
  );
}

function WhatIfForm({
  idPrefix,
  currency,
  value,
  onApply,
}: {
  idPrefix: string;
  currency: string;
  value: PendingDeal | null;
  onApply: (deal: PendingDeal | null) => void;
}) {
  const t = useT();
  const [family, setFamily] = useState<ProductFamily>(value?.family ?? 'storage');
  const [amount, setAmount] = useState(value ? moneyInputText(value.amountMinor, currency) : '');
  const [error, setError] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    // Parsed in the person's locale ("1500,50" in French is 1500.50), or refused: never scaled.
    const parsed = parseMoneyInput(amount, currency);
    if (!parsed.ok) {
      setError(parsed.message);
      return;
    }
    setError(null);
    onApply({ family, amountMinor: parsed.minor });
  };
  const familyId = `${idPrefix}-what-if-family`;
  const amountId = `${idPrefix}-what-if-amount`;
  const errorId = `${idPrefix}-what-if-error`;
  return (
    <>
      <h3>{t('settle.standing.whatIf')}</h3>
      <form className="filters what-if" aria-label={t('settle.standing.whatIf')} onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={familyId}>{t('settle.standing.productFamily')}</label>
          <select id={familyId} value={family} onChange={(e) => setFamily(e.target.value as ProductFamily)}>
            {PRODUCT_FAMILIES.map((f) => (
              <option key={f} value={f}>
                {enumText(t, 'family', f)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={amountId}>{t('settle.standing.pendingAmount', { currency })}</label>
          <input
            id={amountId}
            type="text"
            inputMode="decimal"
            autoComplete="off"
            value={amount}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
            onChange={(e) => setAmount(e.target.value)}
          />
          {error && (
            <p id={errorId} className="hint field-error" role="alert">
              {error}
            </p>
          )}
        </div>
        <div className="field field-actions">
          <button type="submit" className="button button-primary">
            {t('settle.standing.showWhatIf')}
          </button>
          {value && (
            <button
              type="button"
              className="button"
              onClick={() => {
                setError(null);
                onApply(null);
              }}
            >
              {t('settle.standing.clear')}
            </button>
          )}
        </div>
      </form>
    </>
  );
}

function PendingSummary({
  data,
  pending,
  currency,
  nameOf,
}: {
  data: PartnerProgress;
  pending: PendingDeal;
  currency: string;
  nameOf: (code: string) => string;
}) {
  const t = useT();
  const wp = data.evaluation.withPending;
  if (!wp) return null;
  const changes = wp.tier !== data.evaluation.currentTier;
  const wouldMeet = data.evaluation.targets.flatMap((target) =>
    target.paths
      .filter((p) => p.metWithPending === true && !p.met)
      .map((p) => `${nameOf(target.tier)} ${p.name}`),
  );
  return (
    <div className="banner banner-info what-if-result" role="status">
      <p>
        <Trans
          i18nKey={changes ? 'settle.standing.pendingUp' : 'settle.standing.pendingSame'}
          values={{
            family: enumText(t, 'family', pending.family),
            amount: formatMoney(pending.amountMinor, currency),
            tier: nameOf(wp.tier),
            code: wp.tier,
            from: nameOf(data.evaluation.currentTier),
            revenue: formatMoney(wp.measures.revenueMinor, wp.measures.currency, { dropZeroMinor: true }),
          }}
          components={{
            family: <strong />,
            amount: <strong />,
            tier: <strong data-testid="pending-tier" />,
            code: <code />,
          }}
        />
      </p>
      <p>
        {wouldMeet.length > 0
          ? t('settle.standing.wouldMeet', { paths: wouldMeet.join(', ') })
          : t('settle.standing.wouldMeetNone')}
      </p>
    </div>
  );
}

function Targets({ data, nameOf }: { data: PartnerProgress; nameOf: (code: string) => string }) {
  const t = useT();
  const targets = data.evaluation.targets;
  const withPending = data.evaluation.withPending !== undefined;
  return (
    <>
      <h3>{t('settle.standing.higherTiers')}</h3>
      {targets.length === 0 ? (
        <Empty>{t('settle.standing.highest')}</Empty>
      ) : (
        targets.map((target) => (
          <TierTargets
            key={target.tier}
            target={target}
            name={nameOf(target.tier)}
            currency={data.evaluation.measures.currency}
            withPending={withPending}
          />
        ))
      )}
    </>
  );
}

function TierTargets({
  target,
  name,
  currency,
  withPending,
}: {
  target: TierProgress;
  name: string;
  currency: string;
  withPending: boolean;
}) {
  const t = useT();
  const anyMet = target.paths.some((p) => p.met);
  return (
    <div className="tier-target">
      <h4>
        {name} <code>{target.tier}</code>{' '}
        {!target.available ? (
          <Badge tone="neutral">{t('settle.standing.notAvailable')}</Badge>
        ) : anyMet ? (
          <Badge tone="ok">{t('settle.standing.met')}</Badge>
        ) : (
          <Badge tone="neutral">{t('settle.standing.notMet')}</Badge>
        )}
      </h4>
      {target.paths.length === 0 ? (
        <Empty>{t('settle.standing.noPath')}</Empty>
      ) : (
        <div className="paths-grid">
          {target.paths.map((p) => (
            <PathTable
              key={p.index}
              tierCode={target.tier}
              tierName={name}
              path={p}
              currency={currency}
              withPending={withPending}
            />
          ))}
        </div>
      )}
    </div>
  );
}

function PathTable({
  tierCode,
  tierName,
  path,
  currency,
  withPending,
}: {
  tierCode: string;
  tierName: string;
  path: PathProgress;
  currency: string;
  withPending: boolean;
}) {
  const t = useT();
  const value = (r: RequirementProgress, n: number) => formatMeasureValue(r.measure, n, currency, locale());
  const caption = t('settle.standing.pathCaption', { tier: tierName, code: tierCode, path: path.name });
  return (
    <div className="path-table" data-tier={tierCode} data-path={path.index}>
      <h5>
        {path.name} <Check met={path.met} what={path.name} />
        {withPending && path.metWithPending !== undefined && (
          <span className="muted">
            {' '}
            {t('settle.standing.withTheDeal')}{' '}
            <Check met={path.metWithPending} what={t('settle.standing.pathWithDeal', { path: path.name })} />
            <span className="path-pending-answer">
              {' '}
              {path.metWithPending ? t('settle.standing.wouldBeMet') : t('settle.standing.wouldNotBeMet')}
            </span>
          </span>
        )}
      </h5>
      <DataTable<RequirementProgress>
        caption={caption}
        rows={path.requirements}
        rowKey={(r) => `${r.measure}:${r.kind ?? ''}:${r.family ?? ''}`}
        columns={[
          {
            key: 'req',
            header: t('settle.standing.requirement'),
            render: (r) => requirementText(r, plainT(t)),
          },
          {
            key: 'current',
            header: t('settle.standing.current'),
            numeric: true,
            render: (r) => value(r, r.current),
          },
          {
            key: 'target',
            header: t('settle.standing.target'),
            numeric: true,
            render: (r) => value(r, r.target),
          },
          {
            key: 'gap',
            header: t('settle.standing.gap'),
            numeric: true,
            render: (r) => (r.gap > 0 ? value(r, r.gap) : <Dash />),
          },
          {
            key: 'progress',
            header: t('settle.standing.progress'),
            render: (r) => (
              <Bar
                current={r.current}
                target={r.target}
                label={t('settle.standing.toward', {
                  requirement: requirementText(r, plainT(t)),
                  tier: tierName,
                })}
                {...(r.withPending ? { pending: r.withPending.current } : {})}
              />
            ),
          },
          { key: 'met', header: t('settle.standing.metHeader'), render: (r) => <Check met={r.met} /> },
          ...(withPending
            ? [
                {
                  key: 'pending',
                  header: t('settle.standing.withDeal'),
                  numeric: true,
                  render: (r: RequirementProgress) =>
                    r.withPending ? (
                      <span className="pending-value">{value(r, r.withPending.current)}</span>
                    ) : (
                      <Dash />
                    ),
                },
                {
                  key: 'pendingGap',
                  header: t('settle.standing.gapWithDeal'),
                  numeric: true,
                  render: (r: RequirementProgress) =>
                    r.withPending && r.withPending.gap > 0 ? value(r, r.withPending.gap) : <Dash />,
                },
                {
                  key: 'pendingMet',
                  header: t('settle.standing.metWithDeal'),
                  render: (r: RequirementProgress) =>
                    r.withPending ? <Check met={r.withPending.met} /> : <Dash />,
                },
              ]
            : []),
        ]}
      />
    </div>
  );
}

function History({ data, nameOf }: { data: PartnerProgress; nameOf: (code: string) => string }) {
  const t = useT();
  const explain = useExplain();
  return (
    <details className="history">
      <summary>{t('settle.standing.history', { count: data.history.length })}</summary>
      {data.history.length === 0 ? (
        <Empty>{t('settle.standing.noHistory')}</Empty>
      ) : (
        <DataTable<Membership>
          caption={t('settle.standing.historyCaption')}
          rows={data.history}
          rowKey={(m) => m.id}
          columns={[
            {
              key: 'code',
              header: t('settle.standing.tierOrStatus'),
              render: (m) => (
                <>
                  {nameOf(m.code)} <code>{m.code}</code>
                </>
              ),
            },
            {
              key: 'from',
              header: t('settle.standing.validFrom'),
              render: (m) => <IsoTime value={m.validFrom} dateOnly />,
            },
            {
              key: 'to',
              header: t('settle.standing.validTo'),
              render: (m) => <IsoTime value={m.validTo} dateOnly />,
            },
            {
              key: 'source',
              header: t('settle.standing.source'),
              render: (m) => (
                <Badge tone={sourceTone(m.source)}>{enumText(t, 'membershipSource', m.source)}</Badge>
              ),
            },
            {
              key: 'reason',
              header: t('settle.standing.reason'),
              render: (m) => explain(m.reason, m.reasonMessage),
            },
            {
              key: 'gf',
              header: t('settle.standing.grandfatheredUntil'),
              render: (m) => <IsoTime value={m.grandfatheredUntil} dateOnly />,
            },
            { key: 'sponsor', header: t('settle.standing.sponsor'), render: (m) => m.sponsor ?? <Dash /> },
          ]}
        />
      )}
    </details>
  );
}
