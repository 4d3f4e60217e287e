import { useState } from 'react';
import { useMe } from '../hooks';
import { useT } from '../i18n';
import { apiPost, CSRF_COOKIE, readCookie } from '../lib/api';
import { signInPath } from '../lib/routes';
import { Link, useLocation } from '../router';

/** Who is signed in, with sign-out; a sign-in link when no one is. Hidden if the API has no sign-in. */
export function UserMenu() {
  const t = useT();
  const { pathname, search } = useLocation();
  const me = useMe();
  const [signingOut, setSigningOut] = useState(false);
  if (me.status === 'loading') return null;
  if (me.status === 'error') {
    if (me.problem.status !== 401 || pathname === '/sign-in') return null;
    return (
      <Link to={signInPath(pathname + search)} className="user-menu">
        {t('common.signIn')}
      </Link>
    );
  }
  const signOut = async () => {
    setSigningOut(true);
    try {
      await apiPost('/api/auth/sign-out', undefined, { csrfToken: readCookie(document.cookie, CSRF_COOKIE) });
    } finally {
      window.location.assign('/sign-in');
    }
  };
  const who = me.data.name ?? me.data.email ?? me.data.id;
  return (
    <div className="user-menu">
      <span title={me.data.roles.join(', ')}>{who}</span>
      <button type="button" className="button button-small" onClick={signOut} disabled={signingOut}>
        {t('common.signOut')}
      </button>
    </div>
  );
}
