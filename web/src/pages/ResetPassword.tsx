/**
 * Set a new password with a one-time reset token (POST /api/auth/reset-password, public): the token comes
 * from `trellis users reset-password <email>`, pasted here or in the link `/reset-password?token=…`. Then
 * the person signs in.
 */
import { useState, type FormEvent } from 'react';
import { ErrorBanner, PageHeading } from '../components/ui';
import { useTitle } from '../hooks';
import { useT } from '../i18n';
import { apiPost, problemOf, type Problem } from '../lib/api';
import { Link, useLocation } from '../router';

export function ResetPasswordPage() {
  const t = useT();
  useTitle(t('actions.reset.title'));
  const { search } = useLocation();
  const [token, setToken] = useState(() => new URLSearchParams(search).get('token') ?? '');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    setMismatch(password !== again);
    if (password !== again) return;
    setBusy(true);
    try {
      await apiPost('/api/auth/reset-password', { token: token.trim(), password });
      setDone(true);
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeading title={t('actions.reset.title')}>
        <p className="subtitle">{t('actions.reset.subtitle')}</p>
      </PageHeading>
      {done ? (
        <div role="status">
          <p className="banner banner-info">
            {t('actions.reset.done')} <Link to="/sign-in">{t('actions.reset.signIn')}</Link>
          </p>
        </div>
      ) : (
        <form className="sign-in card" onSubmit={(e) => void submit(e)} aria-busy={busy}>
          {problem && <ErrorBanner problem={problem} signInHint={false} />}
          <div className="field">
            <label htmlFor="reset-token">{t('actions.reset.token')}</label>
            <input
              id="reset-token"
              type="text"
              autoComplete="off"
              required
              minLength={10}
              maxLength={200}
              value={token}
              onChange={(e) => setToken(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="reset-password">{t('actions.reset.password')}</label>
            <input
              id="reset-password"
              type="password"
              autoComplete="new-password"
              required
              maxLength={1024}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="reset-again">{t('actions.reset.again')}</label>
            <input
              id="reset-again"
              type="password"
              autoComplete="new-password"
              required
              maxLength={1024}
              value={again}
              aria-invalid={mismatch ? true : undefined}
              aria-describedby={mismatch ? 'reset-again-error' : undefined}
              onChange={(e) => setAgain(e.target.value)}
            />
            {mismatch && (
              <p id="reset-again-error" className="hint field-error" role="alert">
                {t('actions.reset.mismatch')}
              </p>
            )}
          </div>
          <button type="submit" className="button button-primary" disabled={busy}>
            {t('actions.reset.submit')}
          </button>
        </form>
      )}
    </>
  );
}
