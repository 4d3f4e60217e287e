import type { ReactNode } from 'react';
import { DataTable } from '../components/DataTable';
import { VendorName } from '../components/refs';
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
import { isVendorReader } from '../lib/access';
import { isMoney, formatPpmFactor } from '../lib/money';
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
import { MembershipsSection } from './Memberships';
import type { ProgramDetail, ProgramVersion } from './types';

export function ProgramDetailPage({ id }: { id: string }) {
  const state = useApi<ProgramDetail>(`/api/programs/${encodeURIComponent(id)}`);
  const { pathname, search } = useLocation();
  const wanted = new URLSearchParams(search).get('version');
  const me = useMe();

  return (
    <>
      <p className="crumbs">
        <Link to="/programs">← Programs</Link>
      </p>
      {state.status === 'loading' && <Loading what="Loading program" />}
      {state.problem && (
        <>
          <PageHeading title={`Program ${id}`} />
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
                  Partners enrolled in this program
                </Link>
              </p>
              <section aria-labelledby="versions">
                <h2 id="versions">Versions</h2>
                {versions.length === 0 ? (
                  <Empty>No version of this program has been published yet.</Empty>
                ) : (
                  <DataTable
                    caption="Versions"
                    rows={versions}
                    rowKey={(v) => v.id}
                    columns={[
                      {
                        key: 'version',
                        header: 'Version',
                        render: (v) =>
                          v === selected ? (
                            <strong aria-current="true">{v.version} (shown)</strong>
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
                        header: 'Status',
                        render: (v) => (
                          <Badge tone={v.status === 'published' ? 'ok' : 'neutral'}>{v.status}</Badge>
                        ),
                      },
                      {
                        key: 'from',
                        header: 'Effective from',
                        render: (v) => <IsoTime value={v.effectiveFrom} dateOnly />,
                      },
                      {
                        key: 'to',
                        header: 'Effective to',
                        render: (v) => <IsoTime value={v.effectiveTo} dateOnly />,
                      },
                      {
                        key: 'published',
                        header: 'Published',
                        render: (v) => <IsoTime value={v.publishedAt} />,
                      },
                      {
                        key: 'hash',
                        header: 'Source hash',
                        render: (v) => <code title={v.sourceHash}>{v.sourceHash.slice(0, 12)}</code>,
                      },
                    ]}
                  />
                )}
              </section>
              <MembershipsSection program={program} />
              {isVendorReader(me.data) && <BudgetPoolsSection programId={program.id} />}
              {selected && <VersionView key={selected.id} version={selected} />}
            </>
          );
        })()}
    </>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="section">
      <h3 id={id}>{title}</h3>
      <ErrorBoundary
        fallback={(error) => (
          <div className="banner banner-warn" role="note">
            <p>This section could not be rendered ({error.message}).</p>
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
  const tiers = [...version.tiers].sort((a, b) => a.rank - b.rank);
  return (
    <section aria-labelledby="version-title" className="version">
      <h2 id="version-title">Version {version.version}</h2>
      <Section id="tiers" title="Tiers in rank order">
        {tiers.length === 0 ? (
          <Empty>No tiers.</Empty>
        ) : (
          <ol className="tier-ladder">
            {tiers.map((t) => (
              <li key={t.code} className={t.invitationOnly ? 'invitation' : undefined}>
                <span className="tier-rank">{t.rank}</span>
                <span className="tier-name">{t.name}</span> <code>{t.code}</code>
                {t.invitationOnly && <Badge tone="warn">invitation only</Badge>}
              </li>
            ))}
          </ol>
        )}
      </Section>
      {isRecord(d) ? (
        <DefinitionView definition={d} />
      ) : (
        <Section id="definition" title="Definition">
          <p>The definition is not in a shape this page knows; here it is as JSON.</p>
          <JsonDetails value={d} summary="Definition JSON" />
        </Section>
      )}
    </section>
  );
}

function Fallback({ value, what }: { value: unknown; what: string }) {
  return (
    <>
      <p className="muted">The {what} are not in a shape this page knows.</p>
      <JsonDetails value={value} />
    </>
  );
}

function DefinitionView({ definition: d }: { definition: Json }) {
  const vendor = isRecord(d.vendor) ? d.vendor : null;
  const effective = isRecord(d.effective) ? d.effective : null;
  const unknownKeys = Object.keys(d).filter((k) => !(RENDERED_KEYS as readonly string[]).includes(k));
  return (
    <>
      <Section id="summary" title="Summary">
        <Fields
          items={[
            ['Vendor', vendor ? `${text(vendor.name) ?? ''} (${text(vendor.slug) ?? ''})` : null],
            [
              'Currency',
              [text(d.currency), ...arrayOf(d.additionalCurrencies).map(String)].filter(Boolean).join(', '),
            ],
            [
              'Effective',
              effective ? `${text(effective.from) ?? '?'} to ${text(effective.to) ?? 'open-ended'}` : null,
            ],
            ['Fiscal year starts', formatMonthDay(d.fiscalYearStart)],
            ['Periods', text(d.periods)],
            [
              'Supersedes',
              arrayOf(d.supersedes).length ? arrayOf(d.supersedes).map(String).join(', ') : null,
            ],
            ['Default zone', text(d.defaultZone)],
          ]}
        />
      </Section>
      <Section id="zones" title="Zones">
        <ZonesTable definition={d} />
      </Section>
      <Section id="qualification" title="Qualification paths by zone">
        <QualificationTable definition={d} />
        {isRecord(d.qualification) && (
          <>
            <h4>Qualification policy</h4>
            <ValueView value={d.qualification} />
          </>
        )}
      </Section>
      <Section id="statuses" title="Invitation-only statuses">
        <StatusesTable value={d.statuses} />
      </Section>
      <Section id="multipliers" title="Qualifying multipliers">
        <MultipliersTable value={d.qualifyingMultipliers} />
      </Section>
      <Section id="components" title="Incentive components">
        <ComponentsTable definition={d} />
      </Section>
      <Section id="budget-pools" title="Budget pools">
        <BudgetPoolsTable value={d.budgetPools} />
      </Section>
      {(
        [
          ['status-match', 'Status match', d.statusMatch],
          ['deal-registration', 'Deal registration', d.dealRegistration],
          ['coverage', 'Coverage', d.coverage],
          ['payouts', 'Payouts', d.payouts],
        ] as const
      ).map(([id, title, value]) => (
        <Section key={id} id={id} title={title}>
          {value === null || value === undefined ? (
            <p className="muted">None.</p>
          ) : (
            <ValueView value={value} />
          )}
          <JsonDetails value={value} />
        </Section>
      ))}
      {unknownKeys.length > 0 && (
        <Section id="other" title="Other fields">
          {unknownKeys.map((k) => (
            <JsonDetails key={k} value={d[k]} summary={k} />
          ))}
        </Section>
      )}
      <JsonDetails value={d} summary="Full definition (JSON)" />
    </>
  );
}

function ZonesTable({ definition }: { definition: Json }) {
  const zones = readZones(definition);
  if (zones === null) return <Fallback value={definition.zones} what="zones" />;
  if (zones.length === 0) return <Empty>No zones.</Empty>;
  return (
    <DataTable
      caption="Zones"
      rows={zones}
      rowKey={(z) => z.code}
      columns={[
        { key: 'code', header: 'Code', render: (z) => <code>{z.code}</code> },
        { key: 'name', header: 'Name', render: (z) => z.name },
        { key: 'countries', header: 'Countries', render: (z) => z.countries.join(', ') || <Dash /> },
        { key: 'regions', header: 'Whole regions', render: (z) => z.regions.join(', ') || <Dash /> },
      ]}
    />
  );
}

function QualificationTable({ definition }: { definition: Json }) {
  const m = qualificationMatrix(definition);
  if (m === null) return <Fallback value={definition.tiers} what="tiers" />;
  if (m.rows.length === 0) return <Empty>No tiers.</Empty>;
  const noZones = m.zones.length === 0;
  return (
    <TableWrap label="Qualification paths by tier and zone">
      <table className="matrix">
        <caption>
          Meeting every measure of any one path qualifies for the tier in that zone.
          {typeof definition.defaultZone === 'string' && (
            <>
              {' '}
              Countries no zone lists belong to <code>{definition.defaultZone}</code>.
            </>
          )}
        </caption>
        <thead>
          <tr>
            <th scope="col">Tier</th>
            {noZones ? (
              <th scope="col">All zones</th>
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
                    <span className="muted">Entry tier: no requirements</span>
                  ) : cell.kind === 'none' ? (
                    <span className="muted">Not available</span>
                  ) : (
                    <ol className="paths">
                      {cell.paths.map((p, j) => (
                        <li key={j}>
                          {j > 0 && <span className="or">or</span>}
                          {p.name && <strong>{p.name}</strong>}
                          <ul>
                            {p.requirements.length === 0 ? (
                              <li className="muted">no measures</li>
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
  if (!Array.isArray(value) || !value.every(isRecord)) return <Fallback value={value} what="statuses" />;
  if (value.length === 0) return <Empty>This program has no invitation-only statuses.</Empty>;
  return (
    <DataTable
      caption="Invitation-only statuses"
      rows={value}
      rowKey={(s) => String(s.code)}
      columns={[
        {
          key: 'name',
          header: 'Status',
          render: (s) => (
            <>
              {text(s.name) ?? ''} <code>{text(s.code) ?? ''}</code>{' '}
              {s.invitationOnly === true && <Badge tone="warn">invitation only</Badge>}
            </>
          ),
        },
        { key: 'base', header: 'Base tier', render: (s) => text(s.baseTier) ?? <Dash /> },
        { key: 'duration', header: 'Duration', render: (s) => formatDuration(s.duration) ?? <Dash /> },
        {
          key: 'sponsor',
          header: 'Executive sponsor',
          render: (s) => (s.requiresExecutiveSponsor === true ? 'Required' : 'No'),
        },
        { key: 'renewable', header: 'Renewable', render: (s) => (s.renewable === true ? 'Yes' : 'No') },
        { key: 'max', header: 'Max grants', numeric: true, render: (s) => int(s.maxGrants) ?? 'unlimited' },
      ]}
    />
  );
}

function MultipliersTable({ value }: { value: unknown }) {
  if (!Array.isArray(value) || !value.every(isRecord)) return <Fallback value={value} what="multipliers" />;
  if (value.length === 0) return <Empty>No qualifying multipliers.</Empty>;
  return (
    <DataTable
      caption="Qualifying multipliers"
      rows={value}
      rowKey={(m) => String(m.code)}
      columns={[
        {
          key: 'name',
          header: 'Multiplier',
          render: (m) => (
            <>
              {text(m.name) ?? ''} <code>{text(m.code) ?? ''}</code>
            </>
          ),
        },
        {
          key: 'factor',
          header: 'Factor',
          numeric: true,
          render: (m) => (int(m.factor) === null ? <Dash /> : formatPpmFactor(int(m.factor) as number)),
        },
        {
          key: 'scope',
          header: 'Applies to',
          render: (m) => arrayOf(m.scope).map(String).join(', ') || <Dash />,
        },
        {
          key: 'condition',
          header: 'Condition',
          render: (m) =>
            m.condition === null || m.condition === undefined ? (
              <span className="muted">always</span>
            ) : (
              <code>{formatCondition(m.condition) ?? JSON.stringify(m.condition)}</code>
            ),
        },
      ]}
    />
  );
}

function RatesCell({ rates, raw }: { rates: RatesView; raw: unknown }) {
  if (rates.kind === 'matrix') {
    return (
      <table className="compact rates">
        <thead>
          <tr>
            <th scope="col">Tier</th>
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
  const components = readComponents(definition);
  if (components === null) return <Fallback value={definition.components} what="components" />;
  if (components.length === 0) return <Empty>No incentive components.</Empty>;
  return (
    <DataTable<ComponentView>
      caption="Incentive components in stacking order"
      rows={components}
      rowKey={(c) => c.code}
      columns={[
        { key: 'priority', header: 'Priority', numeric: true, render: (c) => c.priority ?? <Dash /> },
        {
          key: 'name',
          header: 'Component',
          render: (c) => (
            <>
              <strong>{c.name}</strong>
              <br />
              <code>{c.code}</code>
            </>
          ),
        },
        { key: 'kind', header: 'Kind', render: (c) => <Badge tone="info">{c.kind}</Badge> },
        { key: 'settlement', header: 'Settlement', render: (c) => c.settlement ?? <Dash /> },
        { key: 'rates', header: 'Rates', render: (c) => <RatesCell rates={c.rates} raw={c.raw} /> },
        {
          key: 'terms',
          header: 'Conditions and terms',
          render: (c) => (
            <ul className="plain">
              {c.condition && (
                <li>
                  when <code>{c.condition}</code>
                </li>
              )}
              {c.exclusiveGroup && <li>exclusive group {c.exclusiveGroup}</li>}
              {c.budgetPool && <li>budget pool {c.budgetPool}</li>}
              {c.terms.map((t, i) => (
                <li key={i}>{t}</li>
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
  if (!Array.isArray(value) || !value.every(isRecord)) return <Fallback value={value} what="budget pools" />;
  if (value.length === 0) return <Empty>No budget pools: components are uncapped in total.</Empty>;
  return (
    <DataTable
      caption="Budget pools"
      rows={value}
      rowKey={(p) => String(p.code)}
      columns={[
        {
          key: 'name',
          header: 'Pool',
          render: (p) => (
            <>
              {text(p.name) ?? ''} <code>{text(p.code) ?? ''}</code>
            </>
          ),
        },
        {
          key: 'amount',
          header: 'Amount',
          numeric: true,
          render: (p) => (isMoney(p.amount) ? <MoneyOf value={p.amount} /> : <Dash />),
        },
        { key: 'exhausted', header: 'When exhausted', render: (p) => text(p.onExhausted) ?? <Dash /> },
      ]}
    />
  );
}
