import { useState } from 'react';
import { ErrorBanner, Empty, IsoTime, Loading, PageHeading } from '../components/ui';
import { compact } from '../api/client';
import type { ResponseOf, Schema } from '../api/types';
import { postSignedIn, putSignedIn, useAction, useGet } from '../hooks';
import { formatDate, formatMoney, useT } from '../i18n';
import { notificationLink, notificationText } from '../lib/notifications';
import { Link } from '../router';
import '../styles/notify.css';

type Notification = Schema<'Notification'>;
type Preferences = ResponseOf<'/api/me/preferences'>;

const FORMATTERS = { money: formatMoney, day: formatDate };

/** The signed-in person's notifications: newest first, unread ones marked, each leading to its subject. */
export function NotificationsPage() {
  const t = useT();
  const [onlyUnread, setOnlyUnread] = useState(false);
  const [cursor, setCursor] = useState<string | null>(null);
  const [earlier, setEarlier] = useState<readonly Notification[]>([]);
  const page = useGet('/api/notifications', {
    params: {
      query: compact({ limit: 50, unread: onlyUnread ? 'true' : undefined, cursor: cursor ?? undefined }),
    },
  });
  const [readIds, setReadIds] = useState<ReadonlySet<string>>(new Set());
  const [allReadAt, setAllReadAt] = useState(false);
  const mark = useAction((id: string) => postSignedIn(`/api/notifications/${encodeURIComponent(id)}/read`));
  const markAll = useAction(() => postSignedIn('/api/notifications/read-all'));
  const items = [...earlier, ...(page.data?.items ?? [])];
  const isRead = (n: Notification) => n.read || allReadAt || readIds.has(n.id);

  const filter = (unread: boolean) => {
    setOnlyUnread(unread);
    setCursor(null);
    setEarlier([]);
  };

  return (
    <>
      <PageHeading title={t('notify.title')}>
        <p className="subtitle">{t('notify.intro')}</p>
      </PageHeading>
      <div className="notifications-toolbar">
        <label>
          <input type="checkbox" checked={onlyUnread} onChange={(e) => filter(e.target.checked)} />{' '}
          {t('notify.onlyUnread')}
        </label>
        <button
          type="button"
          className="button"
          disabled={markAll.busy}
          onClick={async () => {
            if ((await markAll.run()) !== undefined) setAllReadAt(true);
          }}
        >
          {t('notify.markAllRead')}
        </button>
      </div>
      {markAll.problem && <ErrorBanner problem={markAll.problem} />}
      {mark.problem && <ErrorBanner problem={mark.problem} />}
      {page.status === 'error' && <ErrorBanner problem={page.problem} onRetry={page.reload} />}
      {page.status === 'loading' && items.length === 0 && <Loading />}
      {page.status === 'ok' && items.length === 0 && (
        <Empty>{onlyUnread ? t('notify.emptyUnread') : t('notify.empty')}</Empty>
      )}
      {items.length > 0 && (
        <ul className="notification-list" data-testid="notifications">
          {items.map((n) => {
            const link = notificationLink(n);
            const read = isRead(n);
            return (
              <li key={n.id} className={read ? 'notification' : 'notification notification-unread'}>
                <p>
                  {!read && <span className="badge badge-info">{t('notify.unread')}</span>}{' '}
                  {notificationText(n, t, FORMATTERS) ?? n.kind}
                </p>
                <p className="muted">
                  {t('notify.from', { vendor: n.vendorName })} · <IsoTime value={n.createdAt} />
                  {link && (
                    <>
                      {' · '}
                      <Link to={link}>{t('notify.open')}</Link>
                    </>
                  )}
                  {!read && (
                    <>
                      {' · '}
                      <button
                        type="button"
                        className="link-button"
                        disabled={mark.busy}
                        onClick={async () => {
                          if ((await mark.run(n.id)) !== undefined) setReadIds(new Set([...readIds, n.id]));
                        }}
                      >
                        {t('notify.markRead')}
                      </button>
                    </>
                  )}
                </p>
              </li>
            );
          })}
        </ul>
      )}
      {page.status === 'ok' && page.data.nextCursor && (
        <button
          type="button"
          className="button"
          onClick={() => {
            setEarlier(items);
            setCursor(page.data.nextCursor);
          }}
        >
          {t('common.more')}
        </button>
      )}
      <EmailPreference />
    </>
  );
}

function EmailPreference() {
  const t = useT();
  const prefs = useGet('/api/me/preferences');
  const [saved, setSaved] = useState<boolean | null>(null);
  const save = useAction((emailNotifications: boolean) =>
    putSignedIn<Preferences>('/api/me/preferences', { emailNotifications }),
  );
  if (prefs.status !== 'ok') return null;
  const value = saved ?? prefs.data.emailNotifications;
  return (
    <section className="card" aria-labelledby="email-pref">
      <h2 id="email-pref" className="visually-hidden">
        {t('notify.email')}
      </h2>
      <label>
        <input
          type="checkbox"
          checked={value}
          disabled={save.busy}
          onChange={async (e) => {
            const next = e.target.checked;
            if ((await save.run(next)) !== undefined) setSaved(next);
          }}
        />{' '}
        {t('notify.email')}
      </label>
      {saved !== null && !save.problem && (
        <p className="muted" role="status">
          {t('notify.emailSaved')}
        </p>
      )}
      {save.problem && <ErrorBanner problem={save.problem} />}
    </section>
  );
}
