import { useState, type FormEvent } from 'react';
import { ErrorBanner, PageHeading } from '../components/ui';
import { apiPost, problemOf, toProblem, type Problem } from '../lib/api';
import { safeNext } from '../lib/routes';
import { useLocation } from '../router';
import { useT } from '../i18n';

export function SignInPage() {
  const t = useT();
  const { search } = useLocation();
  const query = new URLSearchParams(search);
  const next = safeNext(query.get('next'));
  // Back from the identity provider with a refusal (/api/auth/sso/callback): its code, translated.
  const ssoError = query.get('ssoError');
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
      {ssoError && (
        <ErrorBanner
          problem={{ title: t('shell.signIn.ssoRefused'), status: 401, detail: ssoRefusalText(t, ssoError) }}
          signInHint={false}
        />
      )}
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
      <p className="sign-in-or">{t('shell.signIn.or')}</p>
      <SsoStart next={next} />
    </>
  );
}

/**
 * "Sign in with your company's identity provider": by work e-mail (its domain) or organisation (vendor
 * slug or partner id). The start is asked first without following its redirect, so an organisation
 * without single sign-on is told here; then the browser goes to the provider.
 */
function SsoStart({ next }: { next: string }) {
  const t = useT();
  const [who, setWho] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = who.trim();
    const params = new URLSearchParams({ [value.includes('@') ? 'email' : 'org']: value, returnTo: next });
    const url = `/api/auth/sso/start?${params.toString()}`;
    setBusy(true);
    setProblem(null);
    try {
      const probe = await fetch(url, { redirect: 'manual', credentials: 'same-origin' });
      if (probe.type === 'opaqueredirect' || (probe.status >= 300 && probe.status < 400)) {
        window.location.assign(url);
        return;
      }
      const text = await probe.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
      setProblem(toProblem(probe.status, probe.statusText, body));
    } catch (err) {
      setProblem(problemOf(err));
    }
    setBusy(false);
  };
  return (
    <form
      className="sign-in card"
      onSubmit={(e) => void submit(e)}
      aria-labelledby="sso-title"
      aria-busy={busy}
    >
      <h2 id="sso-title">{t('shell.signIn.ssoTitle')}</h2>
      <p className="hint">{t('shell.signIn.ssoIntro')}</p>
      {problem && <ErrorBanner problem={problem} signInHint={false} />}
      <div className="field">
        <label htmlFor="sso-who">{t('shell.signIn.ssoEmailOrOrg')}</label>
        <input id="sso-who" required value={who} onChange={(e) => setWho(e.target.value)} />
      </div>
      <button type="submit" className="button" disabled={busy || !who.trim()}>
        {busy ? t('shell.signIn.ssoBusy') : t('shell.signIn.ssoSubmit')}
      </button>
    </form>
  );
}

const SSO_REFUSALS = {
  ssoStartAgain: 'shell.signIn.ssoRefusals.ssoStartAgain',
  ssoNotConfigured: 'shell.signIn.ssoRefusals.ssoNotConfigured',
  ssoProviderRefused: 'shell.signIn.ssoRefusals.ssoProviderRefused',
  ssoNoRole: 'shell.signIn.ssoRefusals.ssoNoRole',
  ssoOtherOrganisation: 'shell.signIn.ssoRefusals.ssoOtherOrganisation',
  ssoNoAccount: 'shell.signIn.ssoRefusals.ssoNoAccount',
  ssoNoEmail: 'shell.signIn.ssoRefusals.ssoNoEmail',
} as const;

/** The sentence for a refusal's code; any other value (a crafted link) reads as the generic refusal. */
function ssoRefusalText(t: ReturnType<typeof useT>, code: string): string {
  return Object.hasOwn(SSO_REFUSALS, code)
    ? t(SSO_REFUSALS[code as keyof typeof SSO_REFUSALS])
    : t('shell.signIn.ssoRefusals.other');
}
