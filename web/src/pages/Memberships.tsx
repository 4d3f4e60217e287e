/** A program's tiers and statuses in force on a day (GET /api/programs/{id}/memberships). */
import { useState } from 'react';
import { AsOfForm, programEndChoices } from '../components/AsOfForm';
import { DataTable } from '../components/DataTable';
import { Badge, Dash, Empty, ErrorBanner, IsoTime, Loading } from '../components/ui';
import { useApi } from '../hooks';
import { plural } from '../lib/format';
import { detailPath } from '../lib/routes';
import { Link } from '../router';
import type { Membership, MembershipList, ProgramDetail } from './types';

/** Rows rendered at most; the count says how many there are. */
const SHOWN = 500;

export function MembershipsSection({ program }: { program: ProgramDetail }) {
  const [open, setOpen] = useState(false);
  const [asOf, setAsOf] = useState('');
  // Loaded when opened: a large program has thousands of memberships.
  const state = useApi<MembershipList>(
    open ? `/api/programs/${encodeURIComponent(program.id)}/memberships` : null,
    { asOf },
    { keepPrevious: true },
  );
  const names = new Map<string, { name: string; invitationOnly: boolean }>();
  for (const v of program.versions) for (const t of v.tiers) names.set(t.code, t);
  const data = state.status === 'error' ? null : state.data;
  const rows = data
    ? [...data.items].sort((a, b) => a.partnerId.localeCompare(b.partnerId) || a.code.localeCompare(b.code))
    : [];
  const counts = new Map<string, number>();
  for (const m of rows) counts.set(m.code, (counts.get(m.code) ?? 0) + 1);
  return (
    <section aria-labelledby="memberships" className="section memberships">
      <h2 id="memberships">Memberships</h2>
      <p>
        <button
          type="button"
          className="button"
          aria-expanded={open}
          aria-controls="memberships-body"
          onClick={() => setOpen((o) => !o)}
        >
          {open ? 'Hide memberships' : 'Show memberships'}
        </button>{' '}
        <span className="muted">Tiers and statuses in force on a day, partner by partner.</span>
      </p>
      {open && (
        <div id="memberships-body">
          <AsOfForm
            idPrefix="memberships"
            value={asOf}
            onChange={setAsOf}
            quick={programEndChoices(program.versions)}
          />
          {state.problem && <ErrorBanner problem={state.problem} onRetry={state.reload} />}
          {state.status === 'loading' && !data && <Loading what="Loading memberships" />}
          {data &&
            (rows.length === 0 ? (
              <Empty>No tier or status is in force on {data.asOf} (has an evaluation run?).</Empty>
            ) : (
              <>
                <p>
                  {plural(rows.length, 'membership')} in force on <strong>{data.asOf}</strong>:{' '}
                  {[...counts.entries()]
                    .map(([code, n]) => `${names.get(code)?.name ?? code} ${n}`)
                    .join(', ')}
                  {rows.length > SHOWN && <> (the first {SHOWN} are shown)</>}.
                </p>
                <DataTable<Membership>
                  caption={`Memberships in force on ${data.asOf}`}
                  rows={rows.slice(0, SHOWN)}
                  rowKey={(m) => m.id}
                  busy={state.status === 'loading'}
                  columns={[
                    {
                      key: 'partner',
                      header: 'Partner',
                      render: (m) => <Link to={detailPath('partners', m.partnerId)}>{m.partnerId}</Link>,
                    },
                    {
                      key: 'tier',
                      header: 'Tier or status',
                      render: (m) => (
                        <>
                          {names.get(m.code)?.name ?? m.code} <code>{m.code}</code>
                          {names.get(m.code)?.invitationOnly && (
                            <>
                              {' '}
                              <Badge tone="warn">status</Badge>
                            </>
                          )}
                        </>
                      ),
                    },
                    {
                      key: 'since',
                      header: 'Since',
                      render: (m) => <IsoTime value={m.validFrom} dateOnly />,
                    },
                    { key: 'to', header: 'Until', render: (m) => <IsoTime value={m.validTo} dateOnly /> },
                    { key: 'source', header: 'Source', render: (m) => <Badge tone="info">{m.source}</Badge> },
                    { key: 'reason', header: 'Reason', render: (m) => m.reason },
                    {
                      key: 'gf',
                      header: 'Grandfathered until',
                      render: (m) => <IsoTime value={m.grandfatheredUntil} dateOnly />,
                    },
                    { key: 'sponsor', header: 'Sponsor', render: (m) => m.sponsor ?? <Dash /> },
                  ]}
                />
              </>
            ))}
        </div>
      )}
    </section>
  );
}
