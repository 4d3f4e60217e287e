import { useState, type FormEvent } from 'react';
import { ErrorBanner, PageHeading } from '../components/ui';
import { apiPost, problemOf, type Problem } from '../lib/api';
import { safeNext } from '../lib/routes';
import { useLocation } from '../router';
import { useT } from '../i18n';

export function SignInPage() {
  const t = useT();
  const { search } = useLocation();
  const next = safeNext(new URLSearchParams(search).get('next'));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      await apiPost('/api/auth/sign-in', { email, password });
      // A full load: every cached answer was fetched as someone else (or no one).
      window.location.assign(next);
    } catch (err) {
      setProblem(problemOf(err));
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeading title={t('shell.signIn.title')}>
        <p className="subtitle">{t('shell.signIn.subtitle')}</p>
      </PageHeading>
      {problem && <ErrorBanner problem={problem} signInHint={false} />}
      <form className="sign-in card" onSubmit={submit} aria-busy={busy}>
        <div className="field">
          <label htmlFor="email">{t('shell.signIn.email')}</label>
          <input
            id="email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="password">{t('shell.signIn.password')}</label>
          <input
            id="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? t('shell.signIn.busy') : t('shell.signIn.submit')}
        </button>
        <p className="hint">
          {t('shell.signIn.tokenHint')} <code>Authorization: Bearer …</code>.
        </p>
      </form>
    </>
  );
}
