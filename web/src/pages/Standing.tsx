/**
 * A partner's standing in one program (GET /api/partners/{id}/progress): current tier and statuses,
 * every higher tier path by path with gaps and progress bars, the service-delivery answer, a what-if
 * form for a pending deal and an as-of day.
 */
import { useState, type FormEvent } from 'react';
import { AsOfForm, programEndChoices } from '../components/AsOfForm';
import { DataTable } from '../components/DataTable';
import { Badge, Dash, Empty, ErrorBanner, Fields, IsoTime, Loading } from '../components/ui';
import { useApi } from '../hooks';
import { formatMoney, formatPpmFactor, moneyInputText, parseMoneyInput } from '../lib/money';
import { formatMeasureValue, percentOf, requirementLabel } from '../lib/standing';
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

export interface PendingDeal {
  readonly family: string;
  readonly amountMinor: number;
}

function sourceTone(source: string): 'ok' | 'warn' | 'info' | 'neutral' {
  if (source === 'earned') return 'ok';
  if (source === 'invited') return 'info';
  if (source === 'grandfathered' || source === 'status-match') return 'warn';
  return 'neutral';
}

function Check({ met, what }: { met: boolean; what?: string }) {
  return met ? (
    <span className="check check-yes" title={what ? `${what}: met` : 'met'}>
      ✓<span className="visually-hidden"> met</span>
    </span>
  ) : (
    <span className="check check-no" title={what ? `${what}: not met` : 'not met'}>
      ✗<span className="visually-hidden"> not met</span>
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
  const pct = percentOf(current, target);
  const pendingPct = pending === undefined ? null : percentOf(pending, target);
  const text = `${pct}%${pendingPct !== null && pendingPct !== pct ? `, ${pendingPct}% with the deal` : ''}`;
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

function programCurrency(version: ProgramVersion | undefined): string | null {
  const d = version?.definition;
  if (typeof d === 'object' && d !== null && typeof (d as Record<string, unknown>).currency === 'string') {
    return (d as Record<string, string>).currency ?? null;
  }
  return null;
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
  const program = useApi<ProgramDetail>(
    `/api/programs/${encodeURIComponent(programId)}`,
    {},
    { cache: true },
  );
  const [asOf, setAsOf] = useState('');
  const [pending, setPending] = useState<PendingDeal | null>(null);
  const progress = useApi<PartnerProgress>(
    `/api/partners/${encodeURIComponent(partnerId)}/progress`,
    {
      program: programId,
      asOf,
      addFamily: deal ? undefined : pending?.family,
      addAmountMinor: deal ? undefined : pending?.amountMinor,
      deal,
    },
    { keepPrevious: true },
  );
  const data = progress.status === 'error' ? null : progress.data;
  const version = versionFor(program.data, data?.program.version);
  const currency = data?.evaluation.measures.currency ?? programCurrency(version);
  const tierNames = new Map<string, string>();
  for (const v of program.data?.versions ?? []) for (const t of v.tiers) tierNames.set(t.code, t.name);
  const nameOf = (code: string) => tierNames.get(code) ?? code;
  const headingId = `standing-${programId}`;
  const idPrefix = `standing-${programId}`;

  return (
    <section aria-labelledby={headingId} className="section standing">
      <h2 id={headingId}>
        {deal ? 'If you win this deal: standing in ' : 'Standing in '}
        {program.data?.name ?? programId}
      </h2>
      {deal && (
        <p className="muted">
          The registration&apos;s product families and amounts are counted as won; each bar shows where you
          stand now and where you would stand with the deal.
        </p>
      )}
      <AsOfForm
        idPrefix={idPrefix}
        value={asOf}
        onChange={setAsOf}
        quick={programEndChoices(program.data?.versions)}
      />
      {progress.problem && <ErrorBanner problem={progress.problem} onRetry={progress.reload} />}
      {progress.status === 'loading' && !data && <Loading what="Loading standing" />}
      {data && (
        <div
          aria-busy={progress.status === 'loading' || undefined}
          className={progress.status === 'loading' ? 'busy' : undefined}
        >
          <p className="muted">
            Program <code>{data.program.code}</code> version {data.program.version}, as of{' '}
            <strong>{data.asOf}</strong>
            {data.evaluation.zone && (
              <>
                , zone <code>{data.evaluation.zone}</code>
              </>
            )}
            .
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
  const t = data.tier;
  const m = data.evaluation.measures;
  const money = (minor: number) => formatMoney(minor, m.currency, 'en-US', { dropZeroMinor: true });
  return (
    <>
      <h3>Current tier</h3>
      {t ? (
        <Fields
          items={[
            [
              'Tier',
              <span key="t" className="current-tier">
                <strong>{nameOf(t.code)}</strong> <code data-testid="current-tier-code">{t.code}</code>
              </span>,
            ],
            ['Since', <IsoTime key="s" value={t.validFrom} dateOnly />],
            ['Until', t.validTo ? <IsoTime key="u" value={t.validTo} dateOnly /> : 'open-ended'],
            [
              'Source',
              <Badge key="src" tone={sourceTone(t.source)}>
                {t.source}
              </Badge>,
            ],
            ['Reason', t.reason],
            [
              'Grandfathered until',
              t.grandfatheredUntil ? <IsoTime key="g" value={t.grandfatheredUntil} dateOnly /> : null,
            ],
          ]}
        />
      ) : (
        <Empty>
          No tier is recorded for this partner on {data.asOf} (no evaluation has run yet). Its measures place
          it at <strong>{nameOf(data.evaluation.currentTier)}</strong>{' '}
          <code>{data.evaluation.currentTier}</code>.
        </Empty>
      )}
      <Fields
        items={[
          [
            'Evaluated tier',
            <span key="e">
              {nameOf(data.evaluation.currentTier)} <code>{data.evaluation.currentTier}</code>
            </span>,
          ],
          [
            'Qualifying revenue',
            <span key="r" className="num">
              {money(m.revenueMinor)}
            </span>,
          ],
          [
            'Revenue before multipliers',
            <span key="rr" className="num">
              {money(m.rawRevenueMinor)}
            </span>,
          ],
          [
            'Qualifying services revenue',
            <span key="s" className="num">
              {money(m.servicesRevenueMinor)}
            </span>,
          ],
          ['Credits', m.credits === null ? null : m.credits.toLocaleString('en-US')],
          [
            'Multipliers applied',
            m.multiplierDetails && m.multiplierDetails.length > 0
              ? m.multiplierDetails
                  .map(
                    (d) =>
                      `${d.name} ${formatPpmFactor(d.factor)} on ${money(d.baseMinor)} (${d.scope.join(', ')})`,
                  )
                  .join('; ')
              : m.multipliers.length
                ? m.multipliers.join(', ')
                : 'none',
          ],
          ...(data.crossCredit ?? []).map((c, i): [string, string] => [
            i === 0 ? 'Through another vendor' : '',
            c.sentence,
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
  const held = new Set(data.statuses.map((s) => s.code));
  const notHeld = (version?.tiers ?? []).filter((t) => t.invitationOnly && !held.has(t.code));
  return (
    <>
      <h3>Invitation-only statuses</h3>
      {data.statuses.length === 0 ? (
        <Empty>
          No invitation-only status held on {data.asOf}
          {notHeld.length > 0 && <> ({notHeld.map((t) => t.name).join(', ')}: by invitation only)</>}.
        </Empty>
      ) : (
        <DataTable<Membership>
          caption="Invitation-only statuses"
          rows={data.statuses}
          rowKey={(s) => s.id}
          columns={[
            {
              key: 'status',
              header: 'Status',
              render: (s) => (
                <>
                  <strong>{nameOf(s.code)}</strong> <code>{s.code}</code>
                </>
              ),
            },
            { key: 'from', header: 'Valid from', render: (s) => <IsoTime value={s.validFrom} dateOnly /> },
            { key: 'to', header: 'Valid to', render: (s) => <IsoTime value={s.validTo} dateOnly /> },
            { key: 'sponsor', header: 'Sponsor', render: (s) => s.sponsor ?? <Dash /> },
            {
              key: 'source',
              header: 'Source',
              render: (s) => <Badge tone={sourceTone(s.source)}>{s.source}</Badge>,
            },
            { key: 'reason', header: 'Reason', render: (s) => s.reason },
          ]}
        />
      )}
    </>
  );
}

function ServiceDeliveryView({ data }: { data: PartnerProgress }) {
  const sd = data.serviceDelivery;
  return (
    <>
      <h3>Service delivery</h3>
      <Fields
        items={[
          [
            'Answer',
            <Badge key="a" tone={sd.mayDeliver ? 'ok' : 'warn'}>
              {sd.mayDeliver ? 'May deliver the services itself' : 'Must resell the services'}
            </Badge>,
          ],
          ['Reason', sd.reason],
          ['Services-certified people', sd.servicesCertifiedPeople.toLocaleString('en-US')],
          [
            'Services components',
            sd.components.length === 0
              ? 'none'
              : sd.components
                  .map((c) => `${c.code} (${c.delivery}): ${c.eligible ? 'eligible' : 'not eligible'}`)
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
  const [family, setFamily] = useState(value?.family ?? 'storage');
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
      <h3>What if?</h3>
      <form className="filters what-if" aria-label="What if?" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={familyId}>Product family</label>
          <select id={familyId} value={family} onChange={(e) => setFamily(e.target.value)}>
            {PRODUCT_FAMILIES.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={amountId}>Pending deal amount ({currency})</label>
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
            Show what if
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
              Clear
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
  const wp = data.evaluation.withPending;
  if (!wp) return null;
  const changes = wp.tier !== data.evaluation.currentTier;
  const wouldMeet = data.evaluation.targets.flatMap((t) =>
    t.paths.filter((p) => p.metWithPending === true && !p.met).map((p) => `${nameOf(t.tier)} ${p.name}`),
  );
  return (
    <div className="banner banner-info what-if-result" role="status">
      <p>
        With a pending <strong>{pending.family}</strong> deal of{' '}
        <strong>{formatMoney(pending.amountMinor, currency, 'en-US')}</strong>, the tier would be{' '}
        <strong data-testid="pending-tier">{nameOf(wp.tier)}</strong> <code>{wp.tier}</code>
        {changes ? ` (up from ${nameOf(data.evaluation.currentTier)})` : ' (unchanged)'}; qualifying revenue{' '}
        {formatMoney(wp.measures.revenueMinor, wp.measures.currency, 'en-US', { dropZeroMinor: true })}.
      </p>
      <p>
        {wouldMeet.length > 0 ? (
          <>Paths it would newly meet: {wouldMeet.join(', ')}.</>
        ) : (
          'It would meet no further path.'
        )}
      </p>
    </div>
  );
}

function Targets({ data, nameOf }: { data: PartnerProgress; nameOf: (code: string) => string }) {
  const targets = data.evaluation.targets;
  const withPending = data.evaluation.withPending !== undefined;
  return (
    <>
      <h3>Higher tiers</h3>
      {targets.length === 0 ? (
        <Empty>This partner holds the highest tier: there is nothing above it to reach.</Empty>
      ) : (
        targets.map((t) => (
          <TierTargets
            key={t.tier}
            target={t}
            name={nameOf(t.tier)}
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
  const anyMet = target.paths.some((p) => p.met);
  return (
    <div className="tier-target">
      <h4>
        {name} <code>{target.tier}</code>{' '}
        {!target.available ? (
          <Badge tone="neutral">not available in this zone</Badge>
        ) : anyMet ? (
          <Badge tone="ok">met</Badge>
        ) : (
          <Badge tone="neutral">not met</Badge>
        )}
      </h4>
      {target.paths.length === 0 ? (
        <Empty>No path leads to this tier in the partner&apos;s zone.</Empty>
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
  const value = (r: RequirementProgress, n: number) => formatMeasureValue(r.measure, n, currency);
  const caption = `${tierName} (${tierCode}), ${path.name}`;
  return (
    <div className="path-table" data-tier={tierCode} data-path={path.index}>
      <h5>
        {path.name} <Check met={path.met} what={path.name} />
        {withPending && path.metWithPending !== undefined && (
          <span className="muted">
            {' '}
            · with the deal: <Check met={path.metWithPending} what={`${path.name} with the deal`} />
            <span className="path-pending-answer">
              {path.metWithPending ? ' would be met' : ' would not be met'}
            </span>
          </span>
        )}
      </h5>
      <DataTable<RequirementProgress>
        caption={caption}
        rows={path.requirements}
        rowKey={(r) => `${r.measure}:${r.kind ?? ''}:${r.family ?? ''}`}
        columns={[
          { key: 'req', header: 'Requirement', render: (r) => requirementLabel(r) },
          { key: 'current', header: 'Current', numeric: true, render: (r) => value(r, r.current) },
          { key: 'target', header: 'Target', numeric: true, render: (r) => value(r, r.target) },
          {
            key: 'gap',
            header: 'Gap',
            numeric: true,
            render: (r) => (r.gap > 0 ? value(r, r.gap) : <Dash />),
          },
          {
            key: 'progress',
            header: 'Progress',
            render: (r) => (
              <Bar
                current={r.current}
                target={r.target}
                label={`${requirementLabel(r)} toward ${tierName}`}
                {...(r.withPending ? { pending: r.withPending.current } : {})}
              />
            ),
          },
          { key: 'met', header: 'Met', render: (r) => <Check met={r.met} /> },
          ...(withPending
            ? [
                {
                  key: 'pending',
                  header: 'With the deal',
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
                  header: 'Gap with the deal',
                  numeric: true,
                  render: (r: RequirementProgress) =>
                    r.withPending && r.withPending.gap > 0 ? value(r, r.withPending.gap) : <Dash />,
                },
                {
                  key: 'pendingMet',
                  header: 'Met with the deal',
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
  return (
    <details className="history">
      <summary>History ({data.history.length})</summary>
      {data.history.length === 0 ? (
        <Empty>No tier or status has been recorded yet.</Empty>
      ) : (
        <DataTable<Membership>
          caption="Tier and status history"
          rows={data.history}
          rowKey={(m) => m.id}
          columns={[
            {
              key: 'code',
              header: 'Tier or status',
              render: (m) => (
                <>
                  {nameOf(m.code)} <code>{m.code}</code>
                </>
              ),
            },
            { key: 'from', header: 'Valid from', render: (m) => <IsoTime value={m.validFrom} dateOnly /> },
            { key: 'to', header: 'Valid to', render: (m) => <IsoTime value={m.validTo} dateOnly /> },
            {
              key: 'source',
              header: 'Source',
              render: (m) => <Badge tone={sourceTone(m.source)}>{m.source}</Badge>,
            },
            { key: 'reason', header: 'Reason', render: (m) => m.reason },
            {
              key: 'gf',
              header: 'Grandfathered until',
              render: (m) => <IsoTime value={m.grandfatheredUntil} dateOnly />,
            },
            { key: 'sponsor', header: 'Sponsor', render: (m) => m.sponsor ?? <Dash /> },
          ]}
        />
      )}
    </details>
  );
}
