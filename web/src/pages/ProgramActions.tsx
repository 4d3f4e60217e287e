/**
 * The program page's writes, for those `me.can` allows (manageMemberships: vendor admins):
 * - invite a partner to an invitation-only, time-boxed status (POST /api/programs/{id}/invitations);
 * - re-evaluate every enrolled partner's tier (POST /api/programs/{id}/evaluations, a background job
 *   followed until it has finished), saying how many partners moved.
 */
import { useState, type FormEvent } from 'react';
import { Confirm } from '../components/Confirm';
import { useFollowJob } from '../components/follow-job';
import { NamePicker } from '../components/NamePicker';
import { ErrorBanner } from '../components/ui';
import { postSignedIn, useAction } from '../hooks';
import { formatDate, formatNumber, useT } from '../i18n';
import { fieldKey } from '../lib/deals';
import { isRecord, text } from '../lib/program';
import { ApiError, problemOf, type Problem } from '../lib/api';
import type { Job, Membership, ProgramVersion } from './types';

interface StatusChoice {
  readonly code: string;
  readonly name: string;
  readonly sponsor: boolean;
}

/** The invitation-only statuses the version defines (Titanium Black...). */
export function invitationStatuses(version: ProgramVersion | undefined): StatusChoice[] {
  const d = version?.definition;
  if (!isRecord(d) || !Array.isArray(d.statuses)) return [];
  return d.statuses.filter(isRecord).flatMap((s) => {
    const code = text(s.code);
    if (!code) return [];
    return [{ code, name: text(s.name) ?? code, sponsor: s.requiresExecutiveSponsor === true }];
  });
}

const FIELDS = ['partnerId', 'status', 'sponsor', 'reason', 'grantedOn'];

export function InviteToStatus({
  programId,
  statuses,
  onGranted,
}: {
  programId: string;
  statuses: readonly StatusChoice[];
  onGranted: (asOf: string) => void;
}) {
  const t = useT();
  const [partner, setPartner] = useState('');
  const [status, setStatus] = useState('');
  const [sponsor, setSponsor] = useState('');
  const [reason, setReason] = useState('');
  const [grantedOn, setGrantedOn] = useState('');
  const [errors, setErrors] = useState<Readonly<Record<string, string>>>({});
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [granted, setGranted] = useState<Membership | null>(null);
  const chosen = status || statuses[0]?.code || '';
  const choice = statuses.find((s) => s.code === chosen);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    setGranted(null);
    const found: Record<string, string> = {};
    if (!partner) found.partnerId = t('programs.actions.partnerRequired');
    if (!reason.trim()) found.reason = t('programs.actions.reasonRequired');
    if (choice?.sponsor && !sponsor.trim()) found.sponsor = t('programs.actions.sponsorRequired');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const answer = await postSignedIn<Membership>(
        `/api/programs/${encodeURIComponent(programId)}/invitations`,
        {
          partnerId: partner,
          status: chosen,
          sponsor: sponsor.trim() || null,
          reason: reason.trim(),
          ...(grantedOn ? { grantedOn } : {}),
        },
      );
      if (answer) {
        setGranted(answer);
        setPartner('');
        setSponsor('');
        setReason('');
        setGrantedOn('');
        onGranted(answer.validFrom);
      }
    } catch (err) {
      const p = err instanceof ApiError ? err.problem : problemOf(err);
      const fields: Record<string, string> = {};
      const rest = [];
      for (const e of p.errors ?? []) {
        const key = fieldKey(e.location);
        if (FIELDS.includes(key) && !fields[key]) fields[key] = e.message;
        else rest.push(e);
      }
      setErrors(fields);
      setProblem({ ...p, errors: rest });
    } finally {
      setBusy(false);
    }
  };

  const described = (key: string) => (errors[key] ? `invite-${key}-error` : undefined);
  const fieldError = (key: string) =>
    errors[key] ? (
      <p id={`invite-${key}-error`} className="hint field-error" role="alert">
        {errors[key]}
      </p>
    ) : null;

  return (
    <section aria-labelledby="invite-status" className="section">
      <h2 id="invite-status">{t('programs.actions.inviteTitle')}</h2>
      <p className="muted">{t('programs.actions.inviteIntro')}</p>
      {statuses.length === 0 ? (
        <p className="muted">{t('programs.actions.noStatuses')}</p>
      ) : (
        <form
          className="inline-form"
          aria-labelledby="invite-status"
          onSubmit={(e) => void submit(e)}
          noValidate
        >
          <div className="inline-form-fields">
            <div className="field">
              <label htmlFor="invite-partner">{t('programs.actions.partner')}</label>
              <NamePicker
                id="invite-partner"
                source="/api/partners"
                value={partner}
                onChange={setPartner}
                describedBy={described('partnerId')}
              />
              {fieldError('partnerId')}
            </div>
            <div className="field">
              <label htmlFor="invite-status-code">{t('programs.actions.status')}</label>
              <select id="invite-status-code" value={chosen} onChange={(e) => setStatus(e.target.value)}>
                {statuses.map((s) => (
                  <option key={s.code} value={s.code}>
                    {s.name}
                  </option>
                ))}
              </select>
              {fieldError('status')}
            </div>
            <div className="field">
              <label htmlFor="invite-sponsor">
                {choice?.sponsor ? t('programs.actions.sponsor') : t('programs.actions.sponsorOptional')}
              </label>
              <input
                id="invite-sponsor"
                type="text"
                autoComplete="off"
                maxLength={200}
                value={sponsor}
                aria-invalid={errors.sponsor ? true : undefined}
                aria-describedby={described('sponsor')}
                onChange={(e) => setSponsor(e.target.value)}
              />
              {fieldError('sponsor')}
            </div>
            <div className="field">
              <label htmlFor="invite-granted-on">{t('programs.actions.grantedOn')}</label>
              <input
                id="invite-granted-on"
                type="date"
                value={grantedOn}
                aria-invalid={errors.grantedOn ? true : undefined}
                aria-describedby={described('grantedOn')}
                onChange={(e) => setGrantedOn(e.target.value)}
              />
              {fieldError('grantedOn')}
            </div>
            <div className="field field-wide">
              <label htmlFor="invite-reason">{t('programs.actions.reason')}</label>
              <textarea
                id="invite-reason"
                rows={2}
                maxLength={1000}
                value={reason}
                aria-invalid={errors.reason ? true : undefined}
                aria-describedby={described('reason')}
                onChange={(e) => setReason(e.target.value)}
              />
              {fieldError('reason')}
            </div>
            <div className="field field-actions">
              <button type="submit" className="button button-primary" disabled={busy}>
                {t('programs.actions.invite')}
              </button>
            </div>
          </div>
          {problem && <ErrorBanner problem={problem} />}
        </form>
      )}
      <div role="status">
        {granted && (
          <p className="banner banner-info">
            {granted.validTo
              ? t('programs.actions.granted', {
                  status: statuses.find((s) => s.code === granted.code)?.name ?? granted.code,
                  partner: granted.partnerId,
                  from: formatDate(granted.validFrom),
                  to: formatDate(granted.validTo),
                })
              : t('programs.actions.grantedOpen', {
                  status: statuses.find((s) => s.code === granted.code)?.name ?? granted.code,
                  partner: granted.partnerId,
                  from: formatDate(granted.validFrom),
                })}
          </p>
        )}
      </div>
    </section>
  );
}

/** What an evaluation job answers (EvaluationSummary, src/app/tiers/evaluate-program.ts). */
interface EvaluationSummary {
  readonly asOf: string;
  readonly evaluated: number;
  readonly upgrades: number;
  readonly downgrades: number;
  readonly held: number;
  readonly unchanged: number;
  readonly started: number;
}

export function ReEvaluateTiers({
  programId,
  onDone,
}: {
  programId: string;
  onDone: (asOf: string) => void;
}) {
  const t = useT();
  const [confirming, setConfirming] = useState(false);
  const [asOf, setAsOf] = useState('');
  const [audit, setAudit] = useState(false);
  const watch = useFollowJob<EvaluationSummary>();
  const start = useAction(() =>
    postSignedIn<Job<EvaluationSummary>>(`/api/programs/${encodeURIComponent(programId)}/evaluations`, {
      ...(asOf ? { asOf } : {}),
      ...(audit ? { audit: true } : {}),
    }),
  );
  const run = async () => {
    setConfirming(false);
    watch.reset();
    const started = await start.run();
    if (!started) return;
    const done = await watch.follow(started);
    if (done?.status === 'succeeded' && done.result) onDone(done.result.asOf);
  };
  const { job } = watch;
  const result = job?.status === 'succeeded' ? job.result : null;
  return (
    <section aria-labelledby="re-evaluate" className="section">
      <h2 id="re-evaluate">{t('programs.actions.evaluateTitle')}</h2>
      <p className="muted">{t('programs.actions.evaluateIntro')}</p>
      <div className="filters">
        <div className="field">
          <label htmlFor="evaluate-as-of">{t('programs.actions.asOf')}</label>
          <input id="evaluate-as-of" type="date" value={asOf} onChange={(e) => setAsOf(e.target.value)} />
        </div>
        <div className="field">
          <label>
            <input type="checkbox" checked={audit} onChange={(e) => setAudit(e.target.checked)} />{' '}
            {t('programs.actions.audit')}
          </label>
        </div>
      </div>
      <p>
        <button
          type="button"
          className="button"
          disabled={start.busy || watch.running}
          aria-expanded={confirming}
          onClick={() => setConfirming((c) => !c)}
        >
          {t('programs.actions.evaluate')}
        </button>
      </p>
      {confirming && (
        <Confirm
          question={audit ? t('programs.actions.auditConfirm') : t('programs.actions.evaluateConfirm')}
          yes={t('programs.actions.evaluate')}
          busy={start.busy}
          onYes={() => void run()}
          onCancel={() => setConfirming(false)}
        />
      )}
      {start.problem && <ErrorBanner problem={start.problem} />}
      {watch.problem && <ErrorBanner problem={watch.problem} />}
      <div role="status">
        {job && watch.running && (
          <p>
            <span className="spinner" aria-hidden="true" />
            {t('programs.actions.evaluating')}
          </p>
        )}
        {result && (
          <p className="banner banner-info">
            {t('programs.actions.evaluated', {
              count: result.upgrades + result.downgrades + result.started,
              evaluated: formatNumber(result.evaluated),
              up: formatNumber(result.upgrades),
              down: formatNumber(result.downgrades),
              started: formatNumber(result.started),
              date: formatDate(result.asOf),
            })}
          </p>
        )}
      </div>
      {job?.status === 'failed' && job.error && <ErrorBanner problem={job.error} />}
    </section>
  );
}
