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
import { useT } from '../i18n';
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
  return (
    <>
      <PageHeading title="Server">
        <p className="subtitle">What this Trellis server holds. Every figure comes from the HTTP API.</p>
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

function HealthCard() {
  // The API answers 503 with the same body when degraded.
  const health = useApi<Health>('/api/health', {}, { acceptStatuses: [503] });
  return (
    <section className="card" aria-labelledby="health">
      <h2 id="health">
        Health{' '}
        {health.data && <Badge tone={health.data.status === 'ok' ? 'ok' : 'bad'}>{health.data.status}</Badge>}
      </h2>
      {health.status === 'loading' && <Loading />}
      {health.problem && <ErrorBanner problem={health.problem} onRetry={health.reload} />}
      {health.data && (
        <Fields
          items={[
            ['Schema version', health.data.schema.version ?? 'none'],
            [
              'Latest schema',
              <>
                {health.data.schema.latest}{' '}
                {health.data.schema.upToDate ? (
                  <Badge tone="ok">up to date</Badge>
                ) : (
                  <Badge tone="warn">migration needed</Badge>
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
  ['partners', 'Partners'],
  ['customers', 'Customers'],
  ['orders', 'Orders'],
  ['products', 'Products'],
] as const;

const COUNT_PAGE = 100;

/** The API has no counts; one page of up to 100 rows each is cheap, so show "100+" beyond that. */
function CountsCard() {
  return (
    <section className="card" aria-labelledby="counts">
      <h2 id="counts">At a glance</h2>
      <dl className="fields counts">
        {COUNTED.map(([resource, label]) => (
          <Count key={resource} resource={resource} label={label} />
        ))}
      </dl>
      <p className="hint">From the first page of each list (up to {COUNT_PAGE} rows).</p>
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
          `${page.data.items.length}${page.data.nextCursor ? '+' : ''}`
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
  const vendors = useVendors();
  return (
    <section aria-labelledby="vendors">
      <h2 id="vendors">Vendors</h2>
      {vendors.status === 'loading' && <Loading />}
      {vendors.problem && <ErrorBanner problem={vendors.problem} />}
      {vendors.data && vendors.data.items.length === 0 && <Empty>No vendors yet.</Empty>}
      {vendors.data && vendors.data.items.length > 0 && (
        <DataTable
          caption="Vendors"
          rows={vendors.data.items}
          rowKey={(v) => v.id}
          columns={[
            {
              key: 'name',
              header: 'Name',
              render: (v) => <Link to={`/programs?vendor=${v.id}`}>{v.name}</Link>,
            },
            { key: 'slug', header: 'Slug', render: (v) => <code>{v.slug}</code> },
            { key: 'currency', header: 'Currency', render: (v) => v.currency },
            { key: 'id', header: 'Id', render: (v) => <code>{v.id}</code> },
            { key: 'created', header: 'Created', render: (v) => <IsoTime value={v.createdAt} dateOnly /> },
          ]}
        />
      )}
    </section>
  );
}

const MAX_PROGRAM_CARDS = 12;

function ProgramsSection() {
  const programs = usePrograms();
  const items = programs.data?.items ?? [];
  return (
    <section aria-labelledby="programs">
      <h2 id="programs">Programs and their tiers</h2>
      {programs.status === 'loading' && <Loading />}
      {programs.problem && <ErrorBanner problem={programs.problem} />}
      {programs.data && items.length === 0 && <Empty>No programs published yet.</Empty>}
      <div className="cards">
        {items.slice(0, MAX_PROGRAM_CARDS).map((p) => (
          <ProgramCard key={p.id} program={p} />
        ))}
      </div>
      {items.length > MAX_PROGRAM_CARDS && (
        <p>
          <Link to="/programs">All {items.length} programs</Link>
        </p>
      )}
    </section>
  );
}

function ProgramCard({ program }: { program: Program }) {
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
            {' · '}version {current.version} ({current.effectiveFrom} to {current.effectiveTo})
          </>
        )}
      </p>
      {detail.status === 'loading' && <Loading what="Loading tiers" />}
      {detail.problem && <ErrorBanner problem={detail.problem} />}
      {detail.data && !current && <Empty>No versions.</Empty>}
      {current && (
        <ol className="tier-chips" aria-label="Tiers, lowest first">
          {[...current.tiers]
            .sort((a, b) => a.rank - b.rank)
            .map((t) => (
              <li key={t.code} className={t.invitationOnly ? 'invitation' : undefined}>
                {t.name}
                {t.invitationOnly && <span className="visually-hidden"> (invitation only)</span>}
                {t.invitationOnly && (
                  <span aria-hidden="true" title="Invitation only">
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
