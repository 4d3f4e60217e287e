import { useState, type ReactNode } from 'react';
import { DataTable } from '../components/DataTable';
import { VendorName } from '../components/refs';
import { useProgramWords } from '../components/program-words';
import { ValueView } from '../components/ValueView';
import {
  Badge,
  Dash,
  Empty,
  ErrorBanner,
  ErrorBoundary,
  Fields,
  IsoTime,
  JsonDetails,
  Loading,
  MoneyOf,
  PageHeading,
  TableWrap,
} from '../components/ui';
import { useApi, useMe } from '../hooks';
import { formatDate, formatNumber, useT } from '../i18n';
import { can, isVendorReader } from '../lib/access';
import { isMoney } from '../lib/money';
import {
  arrayOf,
  formatCondition,
  formatDuration,
  formatMonthDay,
  int,
  isRecord,
  qualificationMatrix,
  readComponents,
  readZones,
  RENDERED_KEYS,
  text,
  type ComponentView,
  type Json,
  type RatesView,
} from '../lib/program';
import { Link, navigate, useLocation } from '../router';
import { BudgetPoolsSection } from './BudgetPools';
import { MembershipsSection, type MembershipsChange } from './Memberships';
import { invitationStatuses, InviteToStatus, ReEvaluateTiers } from './ProgramActions';
import type { ProgramDetail, ProgramVersion } from './types';

type Tf = ReturnType<typeof useT>;

const VERSION_STATUS = {
  draft: 'programs.detail.versionStatus.draft',
  published: 'programs.detail.versionStatus.published',
} as const;

function versionStatus(t: Tf, status: string): string {
  return status in VERSION_STATUS ? t(VERSION_STATUS[status as keyof typeof VERSION_STATUS]) : status;
}

export function ProgramDetailPage({ id }: { id: string }) {
  const t = useT();
  const state = useApi<ProgramDetail>(`/api/programs/${encodeURIComponent(id)}`);
  const { pathname, search } = useLocation();
  const wanted = new URLSearchParams(search).get('version');
  const me = useMe();
  const manage = can(me.data, 'manageMemberships');
  const [changed, setChanged] = useState<MembershipsChange>({ n: 0, asOf: null });
  const memberships = (asOf: string | null) => setChanged((c) => ({ n: c.n + 1, asOf }));

  return (
    <>
      <p className="crumbs">
        <Link to="/programs">{t('programs.detail.back')}</Link>
      </p>
      {state.status === 'loading' && <Loading what={t('programs.detail.loading')} />}
      {state.problem && (
        <>
          <PageHeading title={t('programs.detail.titleOf', { id })} />
          <ErrorBanner problem={state.problem} onRetry={state.reload} />
        </>
      )}
      {state.status === 'ok' &&
        (() => {
          const program = state.data;
          const versions = program.versions;
          const selected =
            versions.find((v) => v.version === wanted) ??
            versions.find((v) => v.status === 'published') ??
            versions[versions.length - 1];
          return (
            <>
              <PageHeading title={program.name}>
                <p className="subtitle">
                  <code>{program.code}</code> · <VendorName id={program.vendorId} /> ·{' '}
                  <code>{program.id}</code>
                </p>
              </PageHeading>
              <p>
                <Link to={`/partners?program=${encodeURIComponent(program.id)}`}>
                  {t('programs.detail.enrolledPartners')}
                </Link>
              </p>
              <section aria-labelledby="versions">
                <h2 id="versions">{t('programs.detail.versions')}</h2>
                {versions.length === 0 ? (
                  <Empty>{t('programs.detail.noVersions')}</Empty>
                ) : (
                  <DataTable
                    caption={t('programs.detail.versions')}
                    rows={versions}
                    rowKey={(v) => v.id}
                    columns={[
                      {
                        key: 'version',
                        header: t('programs.detail.version'),
                        render: (v) =>
                          v === selected ? (
                            <strong aria-current="true">
                              {t('programs.detail.shown', { version: v.version })}
                            </strong>
                          ) : (
                            <Link
                              to={`${pathname}?version=${encodeURIComponent(v.version)}`}
                              onClick={(e) => {
                                e.preventDefault();
                                navigate(`${pathname}?version=${encodeURIComponent(v.version)}`, {
                                  keepPosition: true,
                                });
                              }}
                            >
                              {v.version}
                            </Link>
                          ),
                      },
                      {
                        key: 'status',
                        header: t('programs.detail.status'),
                        render: (v) => (
                          <Badge tone={v.status === 'published' ? 'ok' : 'neutral'}>
                            {versionStatus(t, v.status)}
                          </Badge>
                        ),
                      },
                      {
                        key: 'from',
                        header: t('programs.detail.effectiveFrom'),
                        render: (v) => <IsoTime value={v.effectiveFrom} dateOnly />,
                      },
                      {
                        key: 'to',
                        header: t('programs.detail.effectiveTo'),
                        render: (v) => <IsoTime value={v.effectiveTo} dateOnly />,
                      },
                      {
                        key: 'published',
                        header: t('programs.detail.published'),
                        render: (v) => <IsoTime value={v.publishedAt} />,
                      },
                      {
                        key: 'hash',
                        header: t('programs.detail.sourceHash'),
                        render: (v) => <code title={v.sourceHash}>{v.sourceHash.slice(0, 12)}</code>,
                      },
                    ]}
                  />
                )}
              </section>
              {manage && (
                <>
                  <InviteToStatus
                    programId={program.id}
                    statuses={invitationStatuses(versions.find((v) => v.status === 'published') ?? selected)}
                    onGranted={memberships}
                  />
                  <ReEvaluateTiers programId={program.id} onDone={memberships} />
                </>
              )}
              <MembershipsSection program={program} changed={changed} />
              {isVendorReader(me.data) && <BudgetPoolsSection programId={program.id} />}
              {selected && <VersionView key={selected.id} version={selected} />}
            </>
          );
        })()}
    </>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  const t = useT();
  return (
    <section aria-labelledby={id} className="section">
      <h3 id={id}>{title}</h3>
      <ErrorBoundary
        fallback={(error) => (
          <div className="banner banner-warn" role="note">
            <p>{t('programs.detail.sectionFailed', { message: error.message })}</p>
          </div>
        )}
      >
        {children}
      </ErrorBoundary>
    </section>
  );
}

function VersionView({ version }: { version: ProgramVersion }) {
  const d = version.definition;
  const t = useT();
  const tiers = [...version.tiers].sort((a, b) => a.rank - b.rank);
  return (
    <section aria-labelledby="version-title" className="version">
      <h2 id="version-title">{t('programs.detail.versionTitle', { version: version.version })}</h2>
      <Section id="tiers" title={t('programs.detail.tiersInRank')}>
        {tiers.length === 0 ? (
          <Empty>{t('programs.detail.noTiers')}</Empty>
        ) : (
          <ol className="tier-ladder">
            {tiers.map((tier) => (
              <li key={tier.code} className={tier.invitationOnly ? 'invitation' : undefined}>
                <span className="tier-rank">{tier.rank}</span>
                <span className="tier-name">{tier.name}</span> <code>{tier.code}</code>
                {tier.invitationOnly && <Badge tone="warn">{t('programs.detail.invitationOnly')}</Badge>}
              </li>
            ))}
          </ol>
        )}
      </Section>
      {isRecord(d) ? (
        <DefinitionView definition={d} />
      ) : (
        <Section id="definition" title={t('programs.detail.definition')}>
          <p>{t('programs.detail.definitionUnknown')}</p>
          <JsonDetails value={d} summary={t('programs.detail.definitionJson')} />
        </Section>
      )}
    </section>
  );
}

const FALLBACK = {
  zones: 'programs.detail.unknownShape.zones',
  tiers: 'programs.detail.unknownShape.tiers',
  statuses: 'programs.detail.unknownShape.statuses',
  multipliers: 'programs.detail.unknownShape.multipliers',
  components: 'programs.detail.unknownShape.components',
  budgetPools: 'programs.detail.unknownShape.budgetPools',
  marketingFunds: 'programs.detail.unknownShape.marketingFunds',
} as const;

function Fallback({ value, what }: { value: unknown; what: keyof typeof FALLBACK }) {
  const t = useT();
  return (
    <>
      <p className="muted">{t(FALLBACK[what])}</p>
      <JsonDetails value={value} />
    </>
  );
}

function DefinitionView({ definition: d }: { definition: Json }) {
  const vendor = isRecord(d.vendor) ? d.vendor : null;
  const effective = isRecord(d.effective) ? d.effective : null;
  const t = useT();
  const unknownKeys = Object.keys(d).filter((k) => !(RENDERED_KEYS as readonly string[]).includes(k));
  return (
    <>
      <Section id="summary" title={t('programs.detail.summary')}>
        <Fields
          items={[
            [
              t('programs.detail.vendor'),
              vendor ? `${text(vendor.name) ?? ''} (${text(vendor.slug) ?? ''})` : null,
            ],
            [
              t('programs.detail.currency'),
              [text(d.currency), ...arrayOf(d.additionalCurrencies).map(String)].filter(Boolean).join(', '),
            ],
            [
              t('programs.detail.effective'),
              effective ? effectiveRange(t, text(effective.from), text(effective.to)) : null,
            ],
            [t('programs.detail.fiscalYearStarts'), formatMonthDay(d.fiscalYearStart)],
            [t('programs.detail.periods'), text(d.periods)],
            [
              t('programs.detail.supersedes'),
              arrayOf(d.supersedes).length ? arrayOf(d.supersedes).map(String).join(', ') : null,
            ],
            [t('programs.detail.defaultZone'), text(d.defaultZone)],
          ]}
        />
      </Section>
      <Section id="zones" title={t('programs.detail.zones')}>
        <ZonesTable definition={d} />
      </Section>
      <Section id="qualification" title={t('programs.detail.qualificationByZone')}>
        <QualificationTable definition={d} />
        {isRecord(d.qualification) && (
          <>
            <h4>{t('programs.detail.qualificationPolicy')}</h4>
            <ValueView value={d.qualification} />
          </>
        )}
      </Section>
      <Section id="statuses" title={t('programs.detail.invitationStatuses')}>
        <StatusesTable value={d.statuses} />
      </Section>
      <Section id="multipliers" title={t('programs.detail.multipliers')}>
        <MultipliersTable value={d.qualifyingMultipliers} />
      </Section>
      <Section id="components" title={t('programs.detail.components')}>
        <ComponentsTable definition={d} />
      </Section>
      <Section id="budget-pools" title={t('programs.detail.budgetPools')}>
        <BudgetPoolsTable value={d.budgetPools} />
      </Section>
      <Section id="marketing-funds" title={t('programs.detail.marketingFunds')}>
        <MarketingFundsView value={d.marketingFunds} />
      </Section>
      {(
        [
          ['status-match', t('programs.detail.statusMatch'), d.statusMatch],
          ['deal-registration', t('programs.detail.dealRegistration'), d.dealRegistration],
          ['coverage', t('programs.detail.coverage'), d.coverage],
          ['payouts', t('programs.detail.payouts'), d.payouts],
        ] as const
      ).map(([id, title, value]) => (
        <Section key={id} id={id} title={title}>
          {value === null || value === undefined ? (
            <p className="muted">{t('programs.detail.none')}</p>
          ) : (
            <ValueView value={value} />
          )}
          <JsonDetails value={value} />
        </Section>
      ))}
      {unknownKeys.length > 0 && (
        <Section id="other" title={t('programs.detail.otherFields')}>
          {unknownKeys.map((k) => (
            <JsonDetails key={k} value={d[k]} summary={k} />
          ))}
        </Section>
      )}
      <JsonDetails value={d} summary={t('programs.detail.fullDefinition')} />
    </>
  );
}

function effectiveRange(t: Tf, from: string | null, to: string | null): string {
  const start = from === null ? '?' : formatDate(from);
  return to === null
    ? t('programs.detail.effectiveRangeOpen', { from: start })
    : t('programs.detail.effectiveRange', { from: start, to: formatDate(to) });
}

function ZonesTable({ definition }: { definition: Json }) {
  const t = useT();
  const zones = readZones(definition);
  if (zones === null) return <Fallback value={definition.zones} what="zones" />;
  if (zones.length === 0) return <Empty>{t('programs.detail.noZones')}</Empty>;
  return (
    <DataTable
      caption={t('programs.detail.zones')}
      rows={zones}
      rowKey={(z) => z.code}
      columns={[
        { key: 'code', header: t('programs.detail.code'), render: (z) => <code>{z.code}</code> },
        { key: 'name', header: t('programs.detail.name'), render: (z) => z.name },
        {
          key: 'countries',
          header: t('programs.detail.countries'),
          render: (z) => z.countries.join(', ') || <Dash />,
        },
        {
          key: 'regions',
          header: t('programs.detail.wholeRegions'),
          render: (z) => z.regions.join(', ') || <Dash />,
        },
      ]}
    />
  );
}

function QualificationTable({ definition }: { definition: Json }) {
  const t = useT();
  const words = useProgramWords();
  const m = qualificationMatrix(definition, words);
  if (m === null) return <Fallback value={definition.tiers} what="tiers" />;
  if (m.rows.length === 0) return <Empty>{t('programs.detail.noTiers')}</Empty>;
  const noZones = m.zones.length === 0;
  return (
    <TableWrap label={t('programs.detail.qualificationByTierZone')}>
      <table className="matrix">
        <caption>
          {t('programs.detail.qualificationCaption')}
          {typeof definition.defaultZone === 'string' && (
            <>
              {' '}
              {t('programs.detail.defaultZoneBefore')}
              <code>{definition.defaultZone}</code>
              {t('programs.detail.defaultZoneAfter')}
            </>
          )}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t('programs.detail.tier')}</th>
            {noZones ? (
              <th scope="col">{t('programs.detail.allZones')}</th>
            ) : (
              m.zones.map((z) => (
                <th key={z.code} scope="col">
                  {z.name} <code>{z.code}</code>
                </th>
              ))
            )}
          </tr>
        </thead>
        <tbody>
          {m.rows.map((row) => (
            <tr key={row.code}>
              <th scope="row">
                {row.name} <code>{row.code}</code>
              </th>
              {(noZones ? [row.cells[0] ?? { kind: 'floor' as const }] : row.cells).map((cell, i) => (
                <td key={i}>
                  {cell.kind === 'floor' ? (
                    <span className="muted">{t('programs.detail.entryTier')}</span>
                  ) : cell.kind === 'none' ? (
                    <span className="muted">{t('programs.detail.notAvailable')}</span>
                  ) : (
                    <ol className="paths">
                      {cell.paths.map((p, j) => (
                        <li key={j}>
                          {j > 0 && <span className="or">{t('programs.detail.or')}</span>}
                          {p.name && <strong>{p.name}</strong>}
                          <ul>
                            {p.requirements.length === 0 ? (
                              <li className="muted">{t('programs.detail.noMeasures')}</li>
                            ) : (
                              p.requirements.map((r, k) => <li key={k}>{r}</li>)
                            )}
                          </ul>
                        </li>
                      ))}
                    </ol>
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

function StatusesTable({ value }: { value: unknown }) {
  const t = useT();
  const words = useProgramWords();
  if (!Array.isArray(value) || !value.every(isRecord)) return <Fallback value={value} what="statuses" />;
  if (value.length === 0) return <Empty>{t('programs.detail.noInvitationStatuses')}</Empty>;
  return (
    <DataTable
      caption={t('programs.detail.invitationStatuses')}
      rows={value}
      rowKey={(s) => String(s.code)}
      columns={[
        {
          key: 'name',
          header: t('programs.detail.status'),
          render: (s) => (
            <>
              {text(s.name) ?? ''} <code>{text(s.code) ?? ''}</code>{' '}
              {s.invitationOnly === true && <Badge tone="warn">{t('programs.detail.invitationOnly')}</Badge>}
            </>
          ),
        },
        { key: 'base', header: t('programs.detail.baseTier'), render: (s) => text(s.baseTier) ?? <Dash /> },
        {
          key: 'duration',
          header: t('programs.detail.duration'),
          render: (s) => formatDuration(s.duration, words) ?? <Dash />,
        },
        {
          key: 'sponsor',
          header: t('programs.detail.executiveSponsor'),
          render: (s) =>
            s.requiresExecutiveSponsor === true ? t('programs.detail.required') : t('common.no'),
        },
        {
          key: 'renewable',
          header: t('programs.detail.renewable'),
          render: (s) => (s.renewable === true ? t('common.yes') : t('common.no')),
        },
        {
          key: 'max',
          header: t('programs.detail.maxGrants'),
          numeric: true,
          render: (s) => {
            const max = int(s.maxGrants);
            return max === null ? t('programs.detail.unlimited') : formatNumber(max);
          },
        },
      ]}
    />
  );
}

function MultipliersTable({ value }: { value: unknown }) {
  const t = useT();
  const words = useProgramWords();
  if (!Array.isArray(value) || !value.every(isRecord)) return <Fallback value={value} what="multipliers" />;
  if (value.length === 0) return <Empty>{t('programs.detail.noMultipliers')}</Empty>;
  return (
    <DataTable
      caption={t('programs.detail.multipliers')}
      rows={value}
      rowKey={(m) => String(m.code)}
      columns={[
        {
          key: 'name',
          header: t('programs.detail.multiplier'),
          render: (m) => (
            <>
              {text(m.name) ?? ''} <code>{text(m.code) ?? ''}</code>
            </>
          ),
        },
        {
          key: 'factor',
          header: t('programs.detail.factor'),
          numeric: true,
          render: (m) => (int(m.factor) === null ? <Dash /> : words.factor(int(m.factor) as number)),
        },
        {
          key: 'scope',
          header: t('programs.detail.appliesTo'),
          render: (m) => arrayOf(m.scope).map(String).join(', ') || <Dash />,
        },
        {
          key: 'condition',
          header: t('programs.detail.condition'),
          render: (m) =>
            m.condition === null || m.condition === undefined ? (
              <span className="muted">{t('programs.detail.always')}</span>
            ) : (
              <code>{formatCondition(m.condition) ?? JSON.stringify(m.condition)}</code>
            ),
        },
      ]}
    />
  );
}

function RatesCell({ rates, raw }: { rates: RatesView; raw: unknown }) {
  const t = useT();
  if (rates.kind === 'matrix') {
    return (
      <table className="compact rates">
        <thead>
          <tr>
            <th scope="col">{t('programs.detail.tier')}</th>
            {rates.columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rates.rows.map((r, i) => (
            <tr key={r}>
              <th scope="row">{r}</th>
              {rates.columns.map((c, j) => (
                <td key={c} className="num">
                  {rates.values[i]?.[j] ?? <Dash />}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    );
  }
  if (rates.kind === 'lines') {
    return (
      <ul className="plain">
        {rates.lines.map((l, i) => (
          <li key={i}>{l}</li>
        ))}
      </ul>
    );
  }
  return <JsonDetails value={raw} />;
}

function ComponentsTable({ definition }: { definition: Json }) {
  const t = useT();
  const words = useProgramWords();
  const components = readComponents(definition, words);
  if (components === null) return <Fallback value={definition.components} what="components" />;
  if (components.length === 0) return <Empty>{t('programs.detail.noComponents')}</Empty>;
  return (
    <DataTable<ComponentView>
      caption={t('programs.detail.componentsCaption')}
      rows={components}
      rowKey={(c) => c.code}
      columns={[
        {
          key: 'priority',
          header: t('programs.detail.priority'),
          numeric: true,
          render: (c) =>
            c.priority === null || c.priority === undefined ? <Dash /> : formatNumber(c.priority),
        },
        {
          key: 'name',
          header: t('programs.detail.component'),
          render: (c) => (
            <>
              <strong>{c.name}</strong>
              <br />
              <code>{c.code}</code>
            </>
          ),
        },
        {
          key: 'kind',
          header: t('programs.detail.kind'),
          render: (c) => <Badge tone="info">{c.kind}</Badge>,
        },
        {
          key: 'settlement',
          header: t('programs.detail.settlement'),
          render: (c) => c.settlement ?? <Dash />,
        },
        {
          key: 'rates',
          header: t('programs.detail.rates'),
          render: (c) => <RatesCell rates={c.rates} raw={c.raw} />,
        },
        {
          key: 'terms',
          header: t('programs.detail.conditionsAndTerms'),
          render: (c) => (
            <ul className="plain">
              {c.condition && (
                <li>
                  {t('programs.detail.when')} <code>{c.condition}</code>
                </li>
              )}
              {c.exclusiveGroup && (
                <li>{t('programs.detail.exclusiveGroup', { group: c.exclusiveGroup })}</li>
              )}
              {c.budgetPool && <li>{t('programs.detail.budgetPool', { pool: c.budgetPool })}</li>}
              {c.terms.map((term, i) => (
                <li key={i}>{term}</li>
              ))}
              <li>
                <JsonDetails value={c.raw} />
              </li>
            </ul>
          ),
        },
      ]}
    />
  );
}

function BudgetPoolsTable({ value }: { value: unknown }) {
  const t = useT();
  if (!Array.isArray(value) || !value.every(isRecord)) return <Fallback value={value} what="budgetPools" />;
  if (value.length === 0) return <Empty>{t('programs.detail.noBudgetPools')}</Empty>;
  return (
    <DataTable
      caption={t('programs.detail.budgetPools')}
      rows={value}
      rowKey={(p) => String(p.code)}
      columns={[
        {
          key: 'name',
          header: t('programs.detail.pool'),
          render: (p) => (
            <>
              {text(p.name) ?? ''} <code>{text(p.code) ?? ''}</code>
            </>
          ),
        },
        {
          key: 'amount',
          header: t('programs.detail.amount'),
          numeric: true,
          render: (p) => (isMoney(p.amount) ? <MoneyOf value={p.amount} /> : <Dash />),
        },
        {
          key: 'exhausted',
          header: t('programs.detail.whenExhausted'),
          render: (p) => text(p.onExhausted) ?? <Dash />,
        },
      ]}
    />
  );
}

/** The program's market development funds: the claim window, activity types and their proof, proposal funds. */
function MarketingFundsView({ value }: { value: unknown }) {
  const t = useT();
  const words = useProgramWords();
  if (value === null || value === undefined) return <Empty>{t('programs.detail.noMarketingFunds')}</Empty>;
  if (!isRecord(value) || !Array.isArray(value.activityTypes) || !value.activityTypes.every(isRecord))
    return <Fallback value={value} what="marketingFunds" />;
  const funds = Array.isArray(value.proposalFunds) ? value.proposalFunds.filter(isRecord) : [];
  return (
    <>
      <Fields items={[[t('programs.detail.claimWithin'), formatDuration(value.claimWithin, words)]]} />
      <DataTable
        caption={t('programs.detail.activityTypes')}
        rows={value.activityTypes}
        rowKey={(a) => String(a.code)}
        columns={[
          {
            key: 'name',
            header: t('programs.detail.activityType'),
            render: (a) => (
              <>
                {text(a.name) ?? ''} <code>{text(a.code) ?? ''}</code>
              </>
            ),
          },
          {
            key: 'proof',
            header: t('programs.detail.proofRequired'),
            render: (a) =>
              arrayOf(a.proof).length ? (
                arrayOf(a.proof)
                  .map(String)
                  .map((k, i) => (
                    <span key={k}>
                      {i > 0 && ', '}
                      <code>{k}</code>
                    </span>
                  ))
              ) : (
                <Dash />
              ),
          },
        ]}
      />
      {funds.length === 0 ? (
        <Empty>{t('programs.detail.noProposalFunds')}</Empty>
      ) : (
        <DataTable
          caption={t('programs.detail.proposalFunds')}
          rows={funds}
          rowKey={(f) => String(f.code)}
          columns={[
            {
              key: 'name',
              header: t('programs.detail.proposalFund'),
              render: (f) => (
                <>
                  {text(f.name) ?? ''} <code>{text(f.code) ?? ''}</code>
                </>
              ),
            },
            {
              key: 'zones',
              header: t('programs.detail.zones'),
              render: (f) =>
                arrayOf(f.zones).length
                  ? arrayOf(f.zones).map(String).join(', ')
                  : t('programs.detail.everyZone'),
            },
            {
              key: 'amount',
              header: t('programs.detail.amount'),
              numeric: true,
              render: (f) => (isMoney(f.amount) ? <MoneyOf value={f.amount} /> : <Dash />),
            },
            {
              key: 'per',
              header: t('programs.detail.fundPeriod'),
              render: (f) =>
                f.per === 'quarter'
                  ? t('programs.detail.perQuarter')
                  : f.per === 'year'
                    ? t('programs.detail.perYear')
                    : (text(f.per) ?? <Dash />),
            },
          ]}
        />
      )}
    </>
  );
}
