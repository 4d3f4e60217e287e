/**
 * My organisation's single sign-on (GET, PUT, DELETE /api/sso): the OpenID Connect provider, the mapping
 * of its groups to Trellis roles, just-in-time provisioning and "require SSO". The client secret is
 * written, never read back.
 */
import { useEffect, useState, type FormEvent } from 'react';
import '../styles/admin.css';
import { Confirm } from '../components/Confirm';
import { ErrorBanner, Loading, PageHeading } from '../components/ui';
import { useAction, useApi, useTitle } from '../hooks';
import { useT } from '../i18n';
import type { Schema } from '../api/types';
import { sendSignedIn } from './admin-api';

type SsoConfig = Schema<'SsoConfig'>;

interface Draft {
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
  groupsClaim: string;
  mapping: string;
  domains: string;
  jit: boolean;
  requireSso: boolean;
}

const EMPTY: Draft = {
  issuer: '',
  clientId: '',
  clientSecret: '',
  scopes: 'email profile',
  groupsClaim: 'groups',
  mapping: '',
  domains: '',
  jit: true,
  requireSso: false,
};

function draftOf(c: SsoConfig): Draft {
  return {
    issuer: c.issuer,
    clientId: c.clientId,
    clientSecret: '',
    scopes: c.scopes.filter((s) => s !== 'openid').join(' '),
    groupsClaim: c.groupsClaim,
    mapping: c.roleMapping.map((m) => `${m.group} = ${m.role}`).join('\n'),
    domains: c.emailDomains.join(', '),
    jit: c.jitProvisioning,
    requireSso: c.requireSso,
  };
}

/** The request body of a draft; mapping lines are `group = role` (the last `=` splits). */
function bodyOf(d: Draft) {
  return {
    issuer: d.issuer.trim(),
    clientId: d.clientId.trim(),
    ...(d.clientSecret ? { clientSecret: d.clientSecret } : {}),
    scopes: d.scopes.split(/[\s,]+/).filter(Boolean),
    groupsClaim: d.groupsClaim.trim() || 'groups',
    roleMapping: d.mapping
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .map((line) => {
        const eq = line.lastIndexOf('=');
        return eq < 0
          ? { group: line, role: '' }
          : { group: line.slice(0, eq).trim(), role: line.slice(eq + 1).trim() };
      }),
    emailDomains: d.domains
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
    jitProvisioning: d.jit,
    requireSso: d.requireSso,
  };
}

export function SsoSettingsPage() {
  const t = useT();
  useTitle(t('admin.sso.title'));
  const current = useApi<{ config: SsoConfig | null }>('/api/sso');
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [done, setDone] = useState<'saved' | 'removed' | null>(null);
  const [removing, setRemoving] = useState(false);
  const save = useAction((body: unknown) =>
    sendSignedIn<SsoConfig>('PUT', '/api/sso', {
      text: JSON.stringify(body),
      contentType: 'application/json',
    }),
  );
  const remove = useAction(() => sendSignedIn<null>('DELETE', '/api/sso'));
  const config = current.data?.config ?? null;
  useEffect(() => {
    setDraft(config ? draftOf(config) : EMPTY);
  }, [config]);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(null);
    if (await save.run(bodyOf(draft))) {
      setDone('saved');
      current.reload();
    }
  };
  const confirmRemove = async () => {
    // undefined: refused (the problem is shown); null: the 204 of a removal.
    if ((await remove.run()) !== undefined) {
      setRemoving(false);
      setDone('removed');
      current.reload();
    }
  };

  return (
    <>
      <PageHeading title={t('admin.sso.title')}>
        <p>{t('admin.sso.intro')}</p>
      </PageHeading>
      {current.status === 'error' && <ErrorBanner problem={current.problem} onRetry={current.reload} />}
      {current.status === 'loading' && !current.data && <Loading what={t('admin.sso.loading')} />}
      {done && (
        <p className="banner" role="status">
          {t(done === 'saved' ? 'admin.sso.saved' : 'admin.sso.removed')}
        </p>
      )}
      {current.data && !config && <p>{t('admin.sso.none')}</p>}
      {current.data && (
        <section className="card" aria-labelledby="sso-form">
          <h2 id="sso-form">{t('admin.sso.title')}</h2>
          <p className="hint">
            {t('admin.sso.callback')} <code>{`${window.location.origin}/api/auth/sso/callback`}</code>
          </p>
          <form className="admin-form" onSubmit={(e) => void submit(e)}>
            <div className="field">
              <label htmlFor="sso-issuer">{t('admin.sso.issuer')}</label>
              <input
                id="sso-issuer"
                type="url"
                required
                value={draft.issuer}
                aria-describedby="sso-issuer-hint"
                placeholder="https://login.example.com/realms/partners"
                onChange={(e) => set('issuer', e.target.value)}
              />
              <small id="sso-issuer-hint" className="hint">
                {t('admin.sso.issuerHint')}
              </small>
            </div>
            <div className="field">
              <label htmlFor="sso-client">{t('admin.sso.clientId')}</label>
              <input
                id="sso-client"
                required
                value={draft.clientId}
                onChange={(e) => set('clientId', e.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor="sso-secret">{t('admin.sso.clientSecret')}</label>
              <input
                id="sso-secret"
                type="password"
                autoComplete="off"
                required={!config}
                value={draft.clientSecret}
                aria-describedby={config ? 'sso-secret-hint' : undefined}
                onChange={(e) => set('clientSecret', e.target.value)}
              />
              {config && (
                <small id="sso-secret-hint" className="hint">
                  {t('admin.sso.clientSecretKeep')}
                </small>
              )}
            </div>
            <div className="field">
              <label htmlFor="sso-scopes">{t('admin.sso.scopes')}</label>
              <input id="sso-scopes" value={draft.scopes} onChange={(e) => set('scopes', e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="sso-claim">{t('admin.sso.groupsClaim')}</label>
              <input
                id="sso-claim"
                value={draft.groupsClaim}
                onChange={(e) => set('groupsClaim', e.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor="sso-mapping">{t('admin.sso.mapping')}</label>
              <textarea
                id="sso-mapping"
                rows={4}
                required
                value={draft.mapping}
                aria-describedby="sso-mapping-hint"
                placeholder="trellis-admins = vendor-admin"
                onChange={(e) => set('mapping', e.target.value)}
              />
              <small id="sso-mapping-hint" className="hint">
                {t('admin.sso.mappingHint')}
              </small>
            </div>
            <div className="field">
              <label htmlFor="sso-domains">{t('admin.sso.domains')}</label>
              <input
                id="sso-domains"
                value={draft.domains}
                aria-describedby="sso-domains-hint"
                onChange={(e) => set('domains', e.target.value)}
              />
              <small id="sso-domains-hint" className="hint">
                {t('admin.sso.domainsHint')}
              </small>
            </div>
            <label className="checkbox">
              <input type="checkbox" checked={draft.jit} onChange={(e) => set('jit', e.target.checked)} />{' '}
              {t('admin.sso.jit')}
            </label>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={draft.requireSso}
                onChange={(e) => set('requireSso', e.target.checked)}
              />{' '}
              {t('admin.sso.requireSso')}
            </label>
            {save.problem && <ErrorBanner problem={save.problem} />}
            <p>
              <button type="submit" className="button button-primary" disabled={save.busy}>
                {save.busy ? t('admin.sso.saving') : t('admin.sso.save')}
              </button>{' '}
              {config && (
                <button
                  type="button"
                  className="button"
                  onClick={() => {
                    remove.clear();
                    setRemoving(true);
                  }}
                >
                  {t('admin.sso.remove')}
                </button>
              )}
            </p>
          </form>
          {removing && (
            <Confirm
              question={t('admin.sso.removeQuestion')}
              yes={t('admin.sso.remove')}
              busy={remove.busy}
              onYes={() => void confirmRemove()}
              onCancel={() => setRemoving(false)}
            >
              <p>{t('admin.sso.removeWarning')}</p>
            </Confirm>
          )}
          {remove.problem && <ErrorBanner problem={remove.problem} />}
        </section>
      )}
    </>
  );
}
