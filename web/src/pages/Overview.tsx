import { DataTable } from '../components/DataTable';
import { VendorName } from '../components/refs';
import { Badge, Empty, ErrorBanner, Fields, IsoTime, Loading, PageHeading } from '../components/ui';
import { useApi, useMe, usePrograms, useVendors, type Program } from '../hooks';
import type { Page } from '../lib/api';
import { detailPath } from '../lib/routes';
import { Link } from '../router';
import { PartnerHomePage } from './PartnerHome';
import { VendorHomePage } from './VendorHome';
import { canReadSystem } from '../lib/access';
import { formatDate, formatNumber, useT } from '../i18n';
import type { Health, ProgramDetail } from './types';

/**
 * The home page: a partner's people see their home across vendors, a vendor's people their program's KPIs
 * and work queues; the server's health is on /system (operators and vendor admins), never a landing page.
 */
export function OverviewPage() {
  const me = useMe();
  if (me.status === 'loading') return <Loading />;
  if (me.data?.partnerId) return <PartnerHomePage partnerId={me.data.partnerId} />;
  if (me.data?.vendorId)
    return (
      <>
        <VendorHomePage vendorId={me.data.vendorId} />
        {canReadSystem(me.data) && <SystemLink />}
      </>
    );
  if (canReadSystem(me.data)) return <ServerOverview />;
  return me.problem ? <ErrorBanner problem={me.problem} /> : <Loading />;
}

function SystemLink() {
  const t = useT();
  return (
    <p className="hint">
      <Link to="/system">{t('home.system')}</Link>
    </p>
  );
}

/** /system: the server's health and what it holds, for operators and vendor admins only. */
export function SystemPage() {
  const me = useMe();
  const t = useT();
  if (me.status === 'loading') return <Loading />;
  if (!canReadSystem(me.data)) return <Empty>{t('common.notFound', { path: '/system' })}</Empty>;
  return <ServerOverview />;
}

/** What this server holds (health, counts, vendors, programs): for operators and vendor admins. */
function ServerOverview() {
  const t = useT();
  return (
    <>
      <PageHeading title={t('programs.server.title')}>
        <p className="subtitle">{t('programs.server.subtitle')}</p>
      </PageHeading>
      <div className="grid">
        <HealthCard />
        <CountsCard />
      </div>
      <VendorsSection />
      <ProgramsSection />
    </>
  );
}

const HEALTH_STATUS = {
  ok: 'programs.server.status.ok',
  degraded: 'programs.server.status.degraded',
} as const;

function HealthCard() {
  const t = useT();
  // The API answers 503 with the same body when degraded.
  const health = useApi<Health>('/api/health', {}, { acceptStatuses: [503] });
  return (
    <section className="card" aria-labelledby="health">
      <h2 id="health">
        {t('programs.server.health')}{' '}
        {health.data && (
          <Badge tone={health.data.status === 'ok' ? 'ok' : 'bad'}>
            {t(HEALTH_STATUS[health.data.status])}
          </Badge>
        )}
      </h2>
      {health.status === 'loading' && <Loading />}
      {health.problem && <ErrorBanner problem={health.problem} onRetry={health.reload} />}
      {health.data && (
        <Fields
          items={[
            [t('programs.server.schemaVersion'), health.data.schema.version ?? t('programs.server.none')],
            [
              t('programs.server.latestSchema'),
              <>
                {health.data.schema.latest}{' '}
                {health.data.schema.upToDate ? (
                  <Badge tone="ok">{t('programs.server.upToDate')}</Badge>
                ) : (
                  <Badge tone="warn">{t('programs.server.migrationNeeded')}</Badge>
                )}
              </>,
            ],
          ]}
        />
      )}
    </section>
  );
}

const COUNTED = [
  ['partners', 'programs.server.partners'],
  ['customers', 'programs.server.customers'],
  ['orders', 'programs.server.orders'],
  ['products', 'programs.server.products'],
] as const;

const COUNT_PAGE = 100;

/** The API has no counts; one page of up to 100 rows each is cheap, so show "100+" beyond that. */
function CountsCard() {
  const t = useT();
  return (
    <section className="card" aria-labelledby="counts">
      <h2 id="counts">{t('programs.server.atAGlance')}</h2>
      <dl className="fields counts">
        {COUNTED.map(([resource, label]) => (
          <Count key={resource} resource={resource} label={t(label)} />
        ))}
      </dl>
      <p className="hint">{t('programs.server.countsHint', { count: COUNT_PAGE })}</p>
    </section>
  );
}

function Count({ resource, label }: { resource: string; label: string }) {
  const page = useApi<Page<unknown>>(`/api/${resource}`, { limit: COUNT_PAGE });
  return (
    <div>
      <dt>
        <Link to={`/${resource}`}>{label}</Link>
      </dt>
      <dd className="num">
        {page.data ? (
          `${formatNumber(page.data.items.length)}${page.data.nextCursor ? '+' : ''}`
        ) : page.problem ? (
          <span className="muted" title={page.problem.detail}>
            —
          </span>
        ) : (
          '…'
        )}
      </dd>
    </div>
  );
}

function VendorsSection() {
  const t = useT();
  const vendors = useVendors();
  return (
    <section aria-labelledby="vendors">
      <h2 id="vendors">{t('programs.server.vendors')}</h2>
      {vendors.status === 'loading' && <Loading />}
      {vendors.problem && <ErrorBanner problem={vendors.problem} />}
      {vendors.data && vendors.data.items.length === 0 && <Empty>{t('programs.server.noVendors')}</Empty>}
      {vendors.data && vendors.data.items.length > 0 && (
        <DataTable
          caption={t('programs.server.vendors')}
          rows={vendors.data.items}
          rowKey={(v) => v.id}
          columns={[
            {
              key: 'name',
              header: t('programs.server.name'),
              render: (v) => <Link to={`/programs?vendor=${v.id}`}>{v.name}</Link>,
            },
            { key: 'slug', header: t('programs.server.slug'), render: (v) => <code>{v.slug}</code> },
            { key: 'currency', header: t('programs.server.currency'), render: (v) => v.currency },
            { key: 'id', header: t('programs.server.id'), render: (v) => <code>{v.id}</code> },
            {
              key: 'created',
              header: t('programs.server.created'),
              render: (v) => <IsoTime value={v.createdAt} dateOnly />,
            },
          ]}
        />
      )}
    </section>
  );
}

const MAX_PROGRAM_CARDS = 12;

function ProgramsSection() {
  const t = useT();
  const programs = usePrograms();
  const items = programs.data?.items ?? [];
  return (
    <section aria-labelledby="programs">
      <h2 id="programs">{t('programs.server.programs')}</h2>
      {programs.status === 'loading' && <Loading />}
      {programs.problem && <ErrorBanner problem={programs.problem} />}
      {programs.data && items.length === 0 && <Empty>{t('programs.server.noPrograms')}</Empty>}
      <div className="cards">
        {items.slice(0, MAX_PROGRAM_CARDS).map((p) => (
          <ProgramCard key={p.id} program={p} />
        ))}
      </div>
      {items.length > MAX_PROGRAM_CARDS && (
        <p>
          <Link to="/programs">{t('programs.server.allPrograms', { count: items.length })}</Link>
        </p>
      )}
    </section>
  );
}

function ProgramCard({ program }: { program: Program }) {
  const t = useT();
  const detail = useApi<ProgramDetail>(`/api/programs/${encodeURIComponent(program.id)}`);
  const versions = detail.data?.versions ?? [];
  const current = versions.find((v) => v.status === 'published') ?? versions[versions.length - 1];
  return (
    <article className="card" aria-labelledby={`card-${program.id}`}>
      <h3 id={`card-${program.id}`}>
        <Link to={detailPath('programs', program.code)}>{program.name}</Link>
      </h3>
      <p className="subtitle">
        <VendorName id={program.vendorId} />
        {current && (
          <>
            {' · '}
            {t('programs.server.versionRange', {
              version: current.version,
              from: formatDate(current.effectiveFrom),
              to: current.effectiveTo === null ? '' : formatDate(current.effectiveTo),
            })}
          </>
        )}
      </p>
      {detail.status === 'loading' && <Loading what={t('programs.server.loadingTiers')} />}
      {detail.problem && <ErrorBanner problem={detail.problem} />}
      {detail.data && !current && <Empty>{t('programs.server.noVersions')}</Empty>}
      {current && (
        <ol className="tier-chips" aria-label={t('programs.server.tiersLowestFirst')}>
          {[...current.tiers]
            .sort((a, b) => a.rank - b.rank)
            .map((tier) => (
              <li key={tier.code} className={tier.invitationOnly ? 'invitation' : undefined}>
                {tier.name}
                {tier.invitationOnly && (
                  <span className="visually-hidden"> {t('programs.server.invitationOnlyHidden')}</span>
                )}
                {tier.invitationOnly && (
                  <span aria-hidden="true" title={t('programs.server.invitationOnly')}>
                    {' '}
                    ✉
                  </span>
                )}
              </li>
            ))}
        </ol>
      )}
    </article>
  );
}
