/**
 * Certifications (GET /api/certifications): a vendor sees those it granted, a partner its own people's.
 * Filtered by partner, kind, family and expiry; each with the days it has left.
 */
import { ListPage, type FilterField } from '../components/ListPage';
import { PartnerLink } from '../components/refs';
import { Badge, IsoTime } from '../components/ui';
import { useMe, useTitle } from '../hooks';
import { can } from '../lib/access';
import { useState } from 'react';
import { RecordCertification } from './RecordCertification';
import { useT } from '../i18n';
import type { Schema } from '../api/types';
import type { ListSpec } from '../lib/query';
import { ADMIN_PATHS } from './admin-routes';
import { PRODUCT_FAMILIES } from './lists';

type Certification = Schema<'Certification'>;

/** CERTIFICATION_KINDS (src/core/model/people.ts). */
const KINDS = ['sales', 'technical', 'services'] as const;

const spec: ListSpec = {
  filters: ['partner', 'kind', 'family', 'expiringBefore'],
  sorts: ['expiresOn', 'earnedOn', 'code'],
  defaultSort: 'expiresOn',
  defaultLimit: 50,
};

/** Certifications expiring within this many days are flagged (the API's default expiry window). */
const SOON_DAYS = 60;

const DAY_MS = 86_400_000;

/** Whole days from today (UTC) to `isoDay`: 0 on the day itself, negative once past. */
export function daysUntil(isoDay: string, now: Date = new Date()): number {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Math.round((Date.parse(`${isoDay}T00:00:00Z`) - today) / DAY_MS);
}

function DaysLeft({ expiresOn }: { expiresOn: string }) {
  const t = useT();
  const days = daysUntil(expiresOn);
  if (days <= 0) return <Badge tone="bad">{t('admin.certifications.expired')}</Badge>;
  return (
    <Badge tone={days <= SOON_DAYS ? 'warn' : 'ok'}>
      {t('admin.certifications.daysLeft', { count: days })}
    </Badge>
  );
}

export function CertificationsPage() {
  const t = useT();
  useTitle(t('admin.certifications.title'));
  const me = useMe();
  const [recorded, setRecorded] = useState(0);
  const kindText = (kind: string) =>
    kind === 'sales'
      ? t('admin.certifications.kind.sales')
      : kind === 'technical'
        ? t('admin.certifications.kind.technical')
        : kind === 'services'
          ? t('admin.certifications.kind.services')
          : kind;
  const familyText = (family: string) =>
    (PRODUCT_FAMILIES as readonly string[]).includes(family) ? t(`deals.families.${family}`) : family;
  const filters: FilterField[] = [
    { name: 'partner', label: t('admin.certifications.partner'), kind: 'name', source: '/api/partners' },
    {
      name: 'kind',
      label: t('admin.certifications.kind.header'),
      kind: 'select',
      options: KINDS.map((k) => ({ value: k, label: kindText(k) })),
    },
    {
      name: 'family',
      label: t('admin.certifications.family'),
      kind: 'select',
      options: PRODUCT_FAMILIES.map((f) => ({ value: f, label: familyText(f) })),
    },
    { name: 'expiringBefore', label: t('admin.certifications.expiringBefore'), kind: 'date' },
  ];
  return (
    <ListPage<Certification>
      title={t('admin.certifications.title')}
      intro={<p>{t('admin.certifications.intro', { count: SOON_DAYS })}</p>}
      before={
        can(me.data, 'writeCertifications') ? (
          <RecordCertification
            kinds={KINDS.map((k) => ({ value: k, label: kindText(k) }))}
            families={PRODUCT_FAMILIES.map((f) => ({ value: f, label: familyText(f) }))}
            onRecorded={() => setRecorded((n) => n + 1)}
          />
        ) : undefined
      }
      reloadKey={recorded}
      path={ADMIN_PATHS.certifications}
      endpoint="/api/certifications"
      spec={spec}
      filters={filters}
      noun="certifications"
      rowKey={(c) => c.id}
      columns={[
        {
          key: 'person',
          header: t('admin.certifications.person'),
          render: (c) => (
            <>
              {c.personName}
              <br />
              <span className="muted">{c.personEmail}</span>
            </>
          ),
        },
        {
          key: 'partner',
          header: t('admin.certifications.partner'),
          render: (c) => <PartnerLink id={c.partnerId} />,
        },
        {
          key: 'code',
          header: t('admin.certifications.code'),
          sort: 'code',
          render: (c) => <code>{c.code}</code>,
        },
        { key: 'kind', header: t('admin.certifications.kind.header'), render: (c) => kindText(c.kind) },
        { key: 'family', header: t('admin.certifications.family'), render: (c) => familyText(c.family) },
        {
          key: 'earned',
          header: t('admin.certifications.earnedOn'),
          sort: 'earnedOn',
          render: (c) => <IsoTime value={c.earnedOn} dateOnly />,
        },
        {
          key: 'expires',
          header: t('admin.certifications.expiresOn'),
          sort: 'expiresOn',
          render: (c) => <IsoTime value={c.expiresOn} dateOnly />,
        },
        {
          key: 'left',
          header: t('admin.certifications.left'),
          render: (c) => <DaysLeft expiresOn={c.expiresOn} />,
        },
      ]}
    />
  );
}
