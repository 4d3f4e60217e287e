/**
 * API tokens of my vendor or partner (GET, POST /api/tokens, DELETE /api/tokens/{id}): the list, a form
 * that creates one (its secret shown once, with a copy button), and revoking with a confirmation.
 */
import { useState, type FormEvent } from 'react';
import '../styles/admin.css';
import { Confirm } from '../components/Confirm';
import { DataTable } from '../components/DataTable';
import { Badge, Dash, Empty, ErrorBanner, IsoTime, Loading, PageHeading } from '../components/ui';
import { postSignedIn, useAction, useApi, useMe, useTitle } from '../hooks';
import { useT } from '../i18n';
import type { Schema } from '../api/types';
import { sendSignedIn } from './admin-api';

type ApiToken = Schema<'ApiToken'>;
type Created = { readonly token: string; readonly tokenInfo: ApiToken };

/** The scopes a token may carry (src/core/access/actor.ts TOKEN_SCOPES), each with its text's key. */
const SCOPES = [
  ['read', 'admin.tokens.scope.read'],
  ['orders:write', 'admin.tokens.scope.ordersWrite'],
  ['certifications:write', 'admin.tokens.scope.certificationsWrite'],
  ['tiers:write', 'admin.tokens.scope.tiersWrite'],
  ['settlement:write', 'admin.tokens.scope.settlementWrite'],
  ['disputes:write', 'admin.tokens.scope.disputesWrite'],
  ['deals:write', 'admin.tokens.scope.dealsWrite'],
  ['engagement:write', 'admin.tokens.scope.engagementWrite'],
  ['catalogue:write', 'admin.tokens.scope.catalogueWrite'],
  ['files:write', 'admin.tokens.scope.filesWrite'],
] as const;

type TokenState = 'active' | 'revoked' | 'expired';

function stateOf(token: ApiToken, now: number): TokenState {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && Date.parse(token.expiresAt) <= now) return 'expired';
  return 'active';
}

export function TokensPage() {
  const t = useT();
  useTitle(t('admin.tokens.title'));
  const list = useApi<{ items: ApiToken[] }>('/api/tokens');
  const [created, setCreated] = useState<Created | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const revoke = useAction((id: string) =>
    sendSignedIn<ApiToken>('DELETE', `/api/tokens/${encodeURIComponent(id)}`),
  );
  const [revoked, setRevoked] = useState<string | null>(null);
  const now = Date.now();
  const stateText: Record<TokenState, string> = {
    active: t('admin.tokens.state.active'),
    revoked: t('admin.tokens.state.revoked'),
    expired: t('admin.tokens.state.expired'),
  };
  const scopeText = (scope: string) => {
    const known = SCOPES.find(([s]) => s === scope);
    return known ? t(known[1]) : scope;
  };

  const confirmRevoke = async () => {
    if (!revoking) return;
    const done = await revoke.run(revoking.id);
    if (done) {
      setRevoked(revoking.name);
      setRevoking(null);
      list.reload();
    }
  };

  return (
    <>
      <PageHeading title={t('admin.tokens.title')}>
        <p>{t('admin.tokens.intro')}</p>
      </PageHeading>
      {created ? (
        <CreatedToken
          created={created}
          onDone={() => {
            setCreated(null);
          }}
        />
      ) : (
        <CreateTokenForm
          onCreated={(c) => {
            setCreated(c);
            setRevoked(null);
            list.reload();
          }}
        />
      )}
      <section aria-labelledby="tokens-list">
        <h2 id="tokens-list">{t('admin.tokens.listTitle')}</h2>
        {revoked && (
          <p className="banner" role="status">
            {t('admin.tokens.revokedDone', { name: revoked })}
          </p>
        )}
        {revoking && (
          <Confirm
            question={t('admin.tokens.revokeQuestion', { name: revoking.name })}
            yes={t('admin.tokens.revoke')}
            busy={revoke.busy}
            onYes={() => void confirmRevoke()}
            onCancel={() => {
              setRevoking(null);
              revoke.clear();
            }}
          >
            <p>{t('admin.tokens.revokeWarning')}</p>
          </Confirm>
        )}
        {revoke.problem && <ErrorBanner problem={revoke.problem} />}
        {list.status === 'error' && <ErrorBanner problem={list.problem} onRetry={list.reload} />}
        {list.status === 'loading' && !list.data && <Loading what={t('admin.tokens.loading')} />}
        {list.data && list.data.items.length === 0 && <Empty>{t('admin.tokens.none')}</Empty>}
        {list.data && list.data.items.length > 0 && (
          <DataTable<ApiToken>
            caption={t('admin.tokens.listTitle')}
            rows={list.data.items}
            rowKey={(row) => row.id}
            columns={[
              { key: 'name', header: t('admin.tokens.name'), render: (row) => row.name },
              {
                key: 'prefix',
                header: t('admin.tokens.prefix'),
                render: (row) => <code>{row.prefix}…</code>,
              },
              { key: 'role', header: t('admin.tokens.role'), render: (row) => <code>{row.role}</code> },
              {
                key: 'scopes',
                header: t('admin.tokens.scopes'),
                render: (row) => row.scopes.map(scopeText).join(', '),
              },
              {
                key: 'created',
                header: t('admin.tokens.created'),
                render: (row) => <IsoTime value={row.createdAt} />,
              },
              {
                key: 'expires',
                header: t('admin.tokens.expires'),
                render: (row) => <IsoTime value={row.expiresAt} />,
              },
              {
                key: 'used',
                header: t('admin.tokens.lastUsed'),
                render: (row) => (row.lastUsedAt ? <IsoTime value={row.lastUsedAt} /> : <Dash />),
              },
              {
                key: 'state',
                header: t('admin.tokens.state.header'),
                render: (row) => {
                  const state = stateOf(row, now);
                  return <Badge tone={state === 'active' ? 'ok' : 'neutral'}>{stateText[state]}</Badge>;
                },
              },
              {
                key: 'actions',
                header: t('admin.tokens.actions'),
                render: (row) =>
                  stateOf(row, now) === 'active' ? (
                    <button
                      type="button"
                      className="button"
                      aria-label={t('admin.tokens.revokeNamed', { name: row.name })}
                      onClick={() => {
                        revoke.clear();
                        setRevoked(null);
                        setRevoking(row);
                      }}
                    >
                      {t('admin.tokens.revoke')}
                    </button>
                  ) : (
                    <Dash />
                  ),
              },
            ]}
          />
        )}
      </section>
    </>
  );
}

function CreateTokenForm({ onCreated }: { onCreated: (created: Created) => void }) {
  const t = useT();
  const me = useMe();
  const roles = me.status === 'ok' ? me.data.roles : [];
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<readonly string[]>(['read']);
  const [role, setRole] = useState('');
  const [days, setDays] = useState('90');
  const create = useAction((body: unknown) => postSignedIn<Created>('/api/tokens', body));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const body = {
      name: name.trim(),
      scopes,
      ...(role ? { role } : {}),
      ...(days.trim() ? { expiresInDays: Number(days) } : {}),
    };
    const answer = await create.run(body);
    if (answer) {
      setName('');
      onCreated(answer);
    }
  };
  const toggle = (scope: string, on: boolean) =>
    setScopes((s) => (on ? [...s.filter((x) => x !== scope), scope] : s.filter((x) => x !== scope)));
  return (
    <section aria-labelledby="token-new" className="card">
      <h2 id="token-new">{t('admin.tokens.newTitle')}</h2>
      <form className="admin-form" onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label htmlFor="token-name">{t('admin.tokens.name')}</label>
          <input
            id="token-name"
            required
            maxLength={100}
            value={name}
            placeholder={t('admin.tokens.namePlaceholder')}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <fieldset className="field">
          <legend>{t('admin.tokens.scopes')}</legend>
          {SCOPES.map(([scope, key]) => (
            <label key={scope} className="checkbox">
              <input
                type="checkbox"
                checked={scopes.includes(scope)}
                onChange={(e) => toggle(scope, e.target.checked)}
              />{' '}
              {t(key)} <code className="muted">{scope}</code>
            </label>
          ))}
        </fieldset>
        {roles.length > 1 && (
          <div className="field">
            <label htmlFor="token-role">{t('admin.tokens.role')}</label>
            <select id="token-role" value={role} onChange={(e) => setRole(e.target.value)}>
              <option value="">{t('admin.tokens.roleDefault')}</option>
              {roles.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor="token-days">{t('admin.tokens.expiresInDays')}</label>
          <input
            id="token-days"
            type="number"
            min={1}
            max={3650}
            step={1}
            value={days}
            aria-describedby="token-days-hint"
            onChange={(e) => setDays(e.target.value)}
          />
          <small id="token-days-hint" className="hint">
            {t('admin.tokens.expiresHint')}
          </small>
        </div>
        {create.problem && <ErrorBanner problem={create.problem} />}
        <p>
          <button
            type="submit"
            className="button button-primary"
            disabled={create.busy || !name.trim() || scopes.length === 0}
          >
            {create.busy ? t('admin.tokens.creating') : t('admin.tokens.create')}
          </button>
        </p>
      </form>
    </section>
  );
}

/** The new token's secret: shown this once, with a copy button and a warning. */
function CreatedToken({ created, onDone }: { created: Created; onDone: () => void }) {
  const t = useT();
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.token);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <section className="banner banner-warn token-secret" aria-labelledby="token-secret-title">
      <h2 id="token-secret-title">{t('admin.tokens.createdTitle', { name: created.tokenInfo.name })}</h2>
      <p>
        <strong>{t('admin.tokens.secretWarning')}</strong>
      </p>
      <p>
        <label htmlFor="token-secret">{t('admin.tokens.secret')}</label>
        <input
          id="token-secret"
          className="secret"
          readOnly
          value={created.token}
          onFocus={(e) => e.target.select()}
          spellCheck={false}
        />
      </p>
      <p>
        <button type="button" className="button button-primary" onClick={() => void copy()}>
          {t('admin.tokens.copy')}
        </button>{' '}
        <span role="status">
          {copied === 'yes'
            ? t('admin.tokens.copied')
            : copied === 'failed'
              ? t('admin.tokens.copyFailed')
              : ''}
        </span>
      </p>
      <p className="muted">{t('admin.tokens.useHint')}</p>
      <p>
        <button type="button" className="button" onClick={onDone}>
          {t('admin.tokens.done')}
        </button>
      </p>
    </section>
  );
}
