/**
 * Webhook endpoints of my vendor or partner (/api/webhooks, docs/webhooks.md): the list, registering one
 * (its signing secret shown once), sending a test event, rotating the secret, enabling or disabling, and
 * each endpoint's deliveries with every attempt and a redeliver button.
 */
import { useState, type FormEvent } from 'react';
import '../styles/admin.css';
import { DataTable } from '../components/DataTable';
import { Badge, Dash, Empty, ErrorBanner, IsoTime, Loading, PageHeading } from '../components/ui';
import { postSignedIn, putSignedIn, useAction, useApi, useTitle } from '../hooks';
import { useT } from '../i18n';
import type { Schema } from '../api/types';
import { sendSignedIn } from './admin-api';

type Endpoint = Schema<'WebhookEndpoint'>;
type Delivery = Schema<'WebhookDelivery'>;
type WithSecret = { readonly secret: string; readonly endpoint: Endpoint };

/** An event type the API takes (src/core/webhooks/events.ts, through the OpenAPI document). */
type EventType = Endpoint['events'][number];

/** The event types an endpoint may take, in the order offered; `webhook.test` is sent on demand only. */
const EVENT_TYPES = [
  'deal.submitted',
  'deal.decided',
  'order.accepted',
  'import.completed',
  'offer.made',
  'statement.issued',
  'statement.paid',
  'dispute.decided',
  'tier.changed',
  'mdf.activity.decided',
  'claim.decided',
] as const satisfies readonly EventType[];

/** Every type the API knows is offered: a type added to the server and not here fails to compile. */
type NotOffered = Exclude<EventType, (typeof EVENT_TYPES)[number] | 'webhook.test'>;
const everyTypeOffered: [NotOffered] extends [never] ? true : NotOffered = true;
void everyTypeOffered;

export function WebhooksPage() {
  const t = useT();
  useTitle(t('admin.webhooks.title'));
  const list = useApi<{ items: Endpoint[] }>('/api/webhooks');
  const [secret, setSecret] = useState<WithSecret | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const act = useAction(async (kind: 'test' | 'rotate' | 'enable' | 'disable' | 'delete', e: Endpoint) => {
    const path = `/api/webhooks/${encodeURIComponent(e.id)}`;
    if (kind === 'test') await postSignedIn(`${path}/test`, {});
    if (kind === 'rotate') setSecret(await postSignedIn<WithSecret>(`${path}/rotate-secret`, {}));
    if (kind === 'enable') await putSignedIn(path, { status: 'active' });
    if (kind === 'disable') await putSignedIn(path, { status: 'disabled' });
    if (kind === 'delete') await sendSignedIn('DELETE', path);
    return kind;
  });
  const run = async (kind: Parameters<typeof act.run>[0], e: Endpoint) => {
    setDone(null);
    const answer = await act.run(kind, e);
    if (answer) {
      setDone(t(`admin.webhooks.done.${answer}`, { url: e.url }));
      if (answer === 'test') setSelected(e.id);
      if (answer === 'delete' && selected === e.id) setSelected(null);
      list.reload();
    }
  };
  const statusText = (s: Endpoint['status']) =>
    s === 'active' ? t('admin.webhooks.status.active') : t('admin.webhooks.status.disabled');

  return (
    <>
      <PageHeading title={t('admin.webhooks.title')}>
        <p>{t('admin.webhooks.intro')}</p>
      </PageHeading>
      {secret ? (
        <ShownSecret shown={secret} onDone={() => setSecret(null)} />
      ) : (
        <CreateEndpointForm
          onCreated={(c) => {
            setSecret(c);
            list.reload();
          }}
        />
      )}
      <section aria-labelledby="webhooks-list">
        <h2 id="webhooks-list">{t('admin.webhooks.listTitle')}</h2>
        {done && (
          <p className="banner" role="status">
            {done}
          </p>
        )}
        {act.problem && <ErrorBanner problem={act.problem} />}
        {list.status === 'error' && <ErrorBanner problem={list.problem} onRetry={list.reload} />}
        {list.status === 'loading' && !list.data && <Loading what={t('admin.webhooks.loading')} />}
        {list.data && list.data.items.length === 0 && <Empty>{t('admin.webhooks.none')}</Empty>}
        {list.data && list.data.items.length > 0 && (
          <DataTable<Endpoint>
            caption={t('admin.webhooks.listTitle')}
            rows={list.data.items}
            rowKey={(row) => row.id}
            columns={[
              { key: 'url', header: t('admin.webhooks.url'), render: (row) => <code>{row.url}</code> },
              {
                key: 'events',
                header: t('admin.webhooks.events'),
                render: (row) => row.events.join(', '),
              },
              {
                key: 'status',
                header: t('admin.webhooks.status.header'),
                render: (row) => (
                  <>
                    <Badge tone={row.status === 'active' ? 'ok' : 'bad'}>{statusText(row.status)}</Badge>
                    {row.disabledReason && <small className="hint"> {row.disabledReason}</small>}
                  </>
                ),
              },
              {
                key: 'failures',
                header: t('admin.webhooks.failures'),
                render: (row) => row.consecutiveFailures,
              },
              {
                key: 'created',
                header: t('admin.webhooks.created'),
                render: (row) => <IsoTime value={row.createdAt} />,
              },
              {
                key: 'actions',
                header: t('admin.webhooks.actions'),
                render: (row) => (
                  <span className="actions">
                    <button type="button" className="button" onClick={() => setSelected(row.id)}>
                      {t('admin.webhooks.showDeliveries')}
                    </button>{' '}
                    <button
                      type="button"
                      className="button"
                      disabled={act.busy}
                      onClick={() => void run('test', row)}
                    >
                      {t('admin.webhooks.sendTest')}
                    </button>{' '}
                    <button
                      type="button"
                      className="button"
                      disabled={act.busy}
                      onClick={() => void run('rotate', row)}
                    >
                      {t('admin.webhooks.rotate')}
                    </button>{' '}
                    <button
                      type="button"
                      className="button"
                      disabled={act.busy}
                      onClick={() => void run(row.status === 'active' ? 'disable' : 'enable', row)}
                    >
                      {row.status === 'active' ? t('admin.webhooks.disable') : t('admin.webhooks.enable')}
                    </button>{' '}
                    <button
                      type="button"
                      className="button"
                      disabled={act.busy}
                      onClick={() => {
                        if (window.confirm(t('admin.webhooks.deleteQuestion', { url: row.url })))
                          void run('delete', row);
                      }}
                    >
                      {t('admin.webhooks.delete')}
                    </button>
                  </span>
                ),
              },
            ]}
          />
        )}
      </section>
      {selected && <Deliveries endpointId={selected} />}
    </>
  );
}

/** An endpoint's deliveries, newest first, each with its attempts, and a redeliver button. */
function Deliveries({ endpointId }: { endpointId: string }) {
  const t = useT();
  const list = useApi<{ items: Delivery[] }>(`/api/webhooks/${encodeURIComponent(endpointId)}/deliveries`);
  const redeliver = useAction((id: string) =>
    postSignedIn<Delivery>(`/api/webhook-deliveries/${encodeURIComponent(id)}/redeliver`, {}),
  );
  const statusText: Record<Delivery['status'], string> = {
    pending: t('admin.webhooks.delivery.pending'),
    succeeded: t('admin.webhooks.delivery.succeeded'),
    failed: t('admin.webhooks.delivery.failed'),
  };
  return (
    <section aria-labelledby="webhook-deliveries">
      <h2 id="webhook-deliveries">{t('admin.webhooks.deliveriesTitle')}</h2>
      <p>
        <button type="button" className="button" onClick={list.reload}>
          {t('admin.webhooks.refresh')}
        </button>
      </p>
      {redeliver.problem && <ErrorBanner problem={redeliver.problem} />}
      {list.status === 'error' && <ErrorBanner problem={list.problem} onRetry={list.reload} />}
      {list.status === 'loading' && !list.data && <Loading what={t('admin.webhooks.loadingDeliveries')} />}
      {list.data && list.data.items.length === 0 && <Empty>{t('admin.webhooks.noDeliveries')}</Empty>}
      {list.data && list.data.items.length > 0 && (
        <DataTable<Delivery>
          caption={t('admin.webhooks.deliveriesTitle')}
          rows={list.data.items}
          rowKey={(row) => row.id}
          columns={[
            { key: 'event', header: t('admin.webhooks.event'), render: (row) => <code>{row.type}</code> },
            {
              key: 'eventId',
              header: t('admin.webhooks.eventId'),
              render: (row) => <code>{row.eventId}</code>,
            },
            {
              key: 'status',
              header: t('admin.webhooks.status.header'),
              render: (row) => (
                <Badge tone={row.status === 'succeeded' ? 'ok' : row.status === 'failed' ? 'bad' : 'info'}>
                  {statusText[row.status]}
                </Badge>
              ),
            },
            {
              key: 'attempts',
              header: t('admin.webhooks.attempts'),
              render: (row) =>
                row.log.length === 0 ? (
                  <Dash />
                ) : (
                  <details>
                    <summary>{row.attempts}</summary>
                    <ul>
                      {row.log.map((a) => (
                        <li key={a.attempt}>
                          #{a.attempt} <IsoTime value={a.startedAt} /> ·{' '}
                          {t('admin.webhooks.attemptLine', {
                            code: a.statusCode ?? '—',
                            ms: a.durationMs,
                          })}
                          {a.error ? ` · ${a.error}` : ''}
                        </li>
                      ))}
                    </ul>
                  </details>
                ),
            },
            {
              key: 'next',
              header: t('admin.webhooks.nextAttempt'),
              render: (row) => (row.nextAttemptAt ? <IsoTime value={row.nextAttemptAt} /> : <Dash />),
            },
            {
              key: 'actions',
              header: t('admin.webhooks.actions'),
              render: (row) => (
                <button
                  type="button"
                  className="button"
                  disabled={redeliver.busy}
                  onClick={() =>
                    void redeliver.run(row.id).then((r) => {
                      if (r) list.reload();
                    })
                  }
                >
                  {t('admin.webhooks.redeliver')}
                </button>
              ),
            },
          ]}
        />
      )}
    </section>
  );
}

function CreateEndpointForm({ onCreated }: { onCreated: (created: WithSecret) => void }) {
  const t = useT();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<readonly string[]>(['statement.issued', 'tier.changed']);
  const create = useAction((body: unknown) => postSignedIn<WithSecret>('/api/webhooks', body));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await create.run({
      url: url.trim(),
      events,
      ...(description.trim() ? { description: description.trim() } : {}),
    });
    if (answer) {
      setUrl('');
      setDescription('');
      onCreated(answer);
    }
  };
  const toggle = (type: string, on: boolean) =>
    setEvents((s) => (on ? [...s.filter((x) => x !== type), type] : s.filter((x) => x !== type)));
  return (
    <section aria-labelledby="webhook-new" className="card">
      <h2 id="webhook-new">{t('admin.webhooks.newTitle')}</h2>
      <form className="admin-form" onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label htmlFor="webhook-url">{t('admin.webhooks.url')}</label>
          <input
            id="webhook-url"
            type="url"
            required
            maxLength={2000}
            value={url}
            placeholder="https://hooks.example.com/trellis"
            aria-describedby="webhook-url-hint"
            onChange={(e) => setUrl(e.target.value)}
          />
          <small id="webhook-url-hint" className="hint">
            {t('admin.webhooks.urlHint')}
          </small>
        </div>
        <div className="field">
          <label htmlFor="webhook-description">{t('admin.webhooks.description')}</label>
          <input
            id="webhook-description"
            maxLength={200}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        </div>
        <fieldset className="field">
          <legend>{t('admin.webhooks.events')}</legend>
          {EVENT_TYPES.map((type) => (
            <label key={type} className="checkbox">
              <input
                type="checkbox"
                checked={events.includes(type)}
                onChange={(e) => toggle(type, e.target.checked)}
              />{' '}
              <code>{type}</code>
            </label>
          ))}
        </fieldset>
        {create.problem && <ErrorBanner problem={create.problem} />}
        <p>
          <button
            type="submit"
            className="button button-primary"
            disabled={create.busy || !url.trim() || events.length === 0}
          >
            {create.busy ? t('admin.webhooks.creating') : t('admin.webhooks.create')}
          </button>
        </p>
      </form>
    </section>
  );
}

/** A signing secret, shown this once (at creation or rotation). */
function ShownSecret({ shown, onDone }: { shown: WithSecret; onDone: () => void }) {
  const t = useT();
  return (
    <section className="banner banner-warn token-secret" aria-labelledby="webhook-secret-title">
      <h2 id="webhook-secret-title">{t('admin.webhooks.secretTitle', { url: shown.endpoint.url })}</h2>
      <p>
        <strong>{t('admin.webhooks.secretWarning')}</strong>
      </p>
      <p>
        <label htmlFor="webhook-secret">{t('admin.webhooks.secret')}</label>
        <input
          id="webhook-secret"
          className="secret"
          readOnly
          value={shown.secret}
          onFocus={(e) => e.target.select()}
          spellCheck={false}
        />
      </p>
      <p className="muted">{t('admin.webhooks.secretHint')}</p>
      <p>
        <button type="button" className="button" onClick={onDone}>
          {t('admin.webhooks.secretDone')}
        </button>
      </p>
    </section>
  );
}
