/**
 * The audit trail of my vendor's data (GET /api/audit): filters by actor, action, subject and days, each
 * entry's detail on demand, and the whole filtered list as CSV like every list.
 */
import { useState } from 'react';
import '../styles/admin.css';
import { ListPage, type FilterField } from '../components/ListPage';
import { ValueView } from '../components/ValueView';
import { Dash, Fields, IsoTime } from '../components/ui';
import { useTitle } from '../hooks';
import { useT } from '../i18n';
import type { Schema } from '../api/types';
import type { ListSpec } from '../lib/query';
import { detailPath, type ListResource } from '../lib/routes';
import { Link } from '../router';
import { ADMIN_PATHS } from './admin-routes';

type AuditEvent = Schema<'AuditEvent'>;

const spec: ListSpec = {
  filters: ['actor', 'action', 'targetType', 'targetId', 'from', 'to'],
  sorts: ['at'],
  defaultSort: 'at',
  defaultLimit: 50,
  defaultDirection: 'desc',
};

/** The app's page of a subject, by the type the audit trail names it with. */
const SUBJECT_PAGES: Readonly<Record<string, ListResource>> = {
  order: 'orders',
  partner: 'partners',
  customer: 'customers',
  product: 'products',
  program: 'programs',
  statement: 'statements',
  dispute: 'disputes',
  deal: 'deals',
  agreement: 'agreements',
  'program-transfer': 'transfers',
  simulation: 'simulations',
};

/** The subject: its type, and its id linked to its page when it has one. */
function Subject({ event }: { event: AuditEvent }) {
  const resource = SUBJECT_PAGES[event.targetType];
  return (
    <>
      <code>{event.targetType}</code>{' '}
      {event.targetId ? (
        resource ? (
          <Link to={detailPath(resource, event.targetId)}>{event.targetId}</Link>
        ) : (
          <span>{event.targetId}</span>
        )
      ) : null}
    </>
  );
}

export function AuditPage() {
  const t = useT();
  useTitle(t('admin.audit.title'));
  const [open, setOpen] = useState<string | null>(null);
  const filters: FilterField[] = [
    {
      name: 'actor',
      label: t('admin.audit.actor'),
      kind: 'text',
      placeholder: 'per_…',
      hint: t('admin.audit.actorHint'),
    },
    { name: 'action', label: t('admin.audit.action'), kind: 'text', placeholder: 'token.create' },
    { name: 'targetType', label: t('admin.audit.subjectType'), kind: 'text', placeholder: 'order' },
    { name: 'targetId', label: t('admin.audit.subjectId'), kind: 'text' },
    { name: 'from', label: t('admin.audit.from'), kind: 'date' },
    { name: 'to', label: t('admin.audit.to'), kind: 'date' },
  ];
  return (
    <ListPage<AuditEvent>
      title={t('admin.audit.title')}
      intro={<p>{t('admin.audit.intro')}</p>}
      path={ADMIN_PATHS.audit}
      endpoint="/api/audit"
      spec={spec}
      filters={filters}
      noun="audit events"
      rowKey={(e) => e.id}
      columns={[
        { key: 'at', header: t('admin.audit.at'), sort: 'at', render: (e) => <IsoTime value={e.at} /> },
        {
          key: 'actor',
          header: t('admin.audit.actor'),
          render: (e) =>
            e.actorId ? (
              <>
                <Link
                  to={`${ADMIN_PATHS.audit}?actor=${encodeURIComponent(e.actorId)}`}
                  title={t('admin.audit.actorFilter', { id: e.actorId })}
                >
                  {e.actorName ?? e.actorId}
                </Link>
                {e.actorType === 'token' && <span className="muted"> ({t('admin.audit.token')})</span>}
              </>
            ) : (
              <span className="muted">{e.actorType}</span>
            ),
        },
        { key: 'action', header: t('admin.audit.action'), render: (e) => <code>{e.action}</code> },
        { key: 'subject', header: t('admin.audit.subject'), render: (e) => <Subject event={e} /> },
        {
          key: 'detail',
          header: t('admin.audit.detail'),
          render: (e) => (
            <button
              type="button"
              className="button"
              aria-expanded={open === e.id}
              onClick={() => setOpen((o) => (o === e.id ? null : e.id))}
            >
              {open === e.id ? t('admin.audit.hide') : t('admin.audit.show')}
              <span className="visually-hidden">
                {' '}
                {t('admin.audit.whichDetail', { action: e.action, id: e.id })}
              </span>
            </button>
          ),
        },
      ]}
      expanded={(e) => (open === e.id ? <AuditDetail event={e} /> : null)}
    />
  );
}

function AuditDetail({ event }: { event: AuditEvent }) {
  const t = useT();
  const hasDetail = Object.keys(event.detail).length > 0;
  return (
    <div className="audit-detail">
      <Fields
        items={[
          [t('admin.audit.id'), <code key="id">{event.id}</code>],
          [t('admin.audit.at'), <IsoTime key="at" value={event.at} />],
          [
            t('admin.audit.actor'),
            event.actorId
              ? `${event.actorName ?? ''} (${event.actorType} ${event.actorId})`
              : event.actorType,
          ],
          [t('admin.audit.role'), event.role ?? <Dash />],
          [t('admin.audit.subject'), <Subject key="subject" event={event} />],
          [t('admin.audit.request'), event.requestId ? <code>{event.requestId}</code> : <Dash />],
          [t('admin.audit.before'), event.beforeDigest ? <code>{event.beforeDigest}</code> : <Dash />],
          [t('admin.audit.after'), event.afterDigest ? <code>{event.afterDigest}</code> : <Dash />],
        ]}
      />
      <h3>{t('admin.audit.detail')}</h3>
      {hasDetail ? <ValueView value={event.detail} /> : <p className="muted">{t('admin.audit.noDetail')}</p>}
    </div>
  );
}
