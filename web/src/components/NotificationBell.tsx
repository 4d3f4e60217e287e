import { useEffect, useRef, useState } from 'react';
import { useApi, useMe } from '../hooks';
import { useT } from '../i18n';
import { Link, useLocation } from '../router';
import '../styles/notify.css';

const POLL_MS = 60_000;

/** The header's bell: unread notifications of the signed-in person, checked every minute and on each page. */
export function NotificationBell() {
  const t = useT();
  const me = useMe();
  const { pathname } = useLocation();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), POLL_MS);
    return () => clearInterval(timer);
  }, []);
  const signedIn = me.status === 'ok' && me.data.kind === 'person';
  const count = useApi<{ unread: number }>(
    signedIn ? '/api/notifications/unread-count' : null,
    {},
    { keepPrevious: true },
  );
  const { reload } = count;
  const first = useRef(true);
  useEffect(() => {
    // Counted again on every page change and every minute (the first count is the mount's own).
    if (first.current) first.current = false;
    else reload();
  }, [pathname, tick, reload]);
  if (!signedIn) return null;
  const unread = count.data?.unread ?? 0;
  return (
    <Link
      to="/notifications"
      className="notification-bell"
      aria-label={t('notify.bell', { count: unread })}
      title={t('notify.bell', { count: unread })}
      data-testid="notification-bell"
    >
      <span aria-hidden="true">🔔</span>
      {unread > 0 && (
        <span className="notification-count" aria-hidden="true">
          {unread > 99 ? '99+' : unread}
        </span>
      )}
    </Link>
  );
}
