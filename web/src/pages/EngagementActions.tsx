/**
 * The vendor admins' engagement actions (`me.can`: rebuildCoverage, sweepOffers), each asked first:
 * - rebuild coverage (POST /api/coverage/rebuild, a background job followed until it has finished);
 * - lapse the offers past their deadline now (POST /api/routing/sweep), saying how many lapsed.
 */
import { useState } from 'react';
import { Confirm } from '../components/Confirm';
import { useFollowJob } from '../components/follow-job';
import { ErrorBanner } from '../components/ui';
import { postSignedIn, useAction } from '../hooks';
import { useT } from '../i18n';
import type { Job } from './types';

function ActionButton({
  label,
  intro,
  disabled,
  onClick,
  open,
}: {
  label: string;
  intro: string;
  disabled: boolean;
  open: boolean;
  onClick: () => void;
}) {
  return (
    <p>
      <button type="button" className="button" disabled={disabled} aria-expanded={open} onClick={onClick}>
        {label}
      </button>{' '}
      <span className="muted">{intro}</span>
    </p>
  );
}

export function RebuildCoverage({ onDone }: { onDone: () => void }) {
  const t = useT();
  const [confirming, setConfirming] = useState(false);
  const watch = useFollowJob<unknown>();
  const start = useAction(() => postSignedIn<Job>('/api/coverage/rebuild', {}));
  const run = async () => {
    setConfirming(false);
    watch.reset();
    const started = await start.run();
    if (!started) return;
    const done = await watch.follow(started);
    if (done?.status === 'succeeded') onDone();
  };
  const { job } = watch;
  return (
    <section aria-label={t('actions.coverage.rebuild')} className="section">
      <ActionButton
        label={t('actions.coverage.rebuild')}
        intro={t('actions.coverage.intro')}
        disabled={start.busy || watch.running}
        open={confirming}
        onClick={() => setConfirming((c) => !c)}
      />
      {confirming && (
        <Confirm
          question={t('actions.coverage.confirm')}
          yes={t('actions.coverage.rebuild')}
          busy={start.busy}
          onYes={() => void run()}
          onCancel={() => setConfirming(false)}
        />
      )}
      {start.problem && <ErrorBanner problem={start.problem} />}
      {watch.problem && <ErrorBanner problem={watch.problem} />}
      <div role="status">
        {watch.running && (
          <p>
            <span className="spinner" aria-hidden="true" />
            {t('actions.coverage.running')}
          </p>
        )}
        {job?.status === 'succeeded' && <p className="banner banner-info">{t('actions.coverage.done')}</p>}
      </div>
      {job?.status === 'failed' && job.error && <ErrorBanner problem={job.error} />}
    </section>
  );
}

export function SweepOffers({ onDone }: { onDone: () => void }) {
  const t = useT();
  const [confirming, setConfirming] = useState(false);
  const [lapsed, setLapsed] = useState<number | null>(null);
  const sweep = useAction(() => postSignedIn<{ lapsed: number }>('/api/routing/sweep', {}));
  const run = async () => {
    setConfirming(false);
    setLapsed(null);
    const answer = await sweep.run();
    if (!answer) return;
    setLapsed(answer.lapsed);
    onDone();
  };
  return (
    <section aria-label={t('actions.routing.sweep')} className="section">
      <ActionButton
        label={t('actions.routing.sweep')}
        intro={t('actions.routing.intro')}
        disabled={sweep.busy}
        open={confirming}
        onClick={() => setConfirming((c) => !c)}
      />
      {confirming && (
        <Confirm
          question={t('actions.routing.confirm')}
          yes={t('actions.routing.sweep')}
          busy={sweep.busy}
          onYes={() => void run()}
          onCancel={() => setConfirming(false)}
        />
      )}
      {sweep.problem && <ErrorBanner problem={sweep.problem} />}
      <div role="status">
        {lapsed !== null && (
          <p className="banner banner-info">{t('actions.routing.lapsed', { count: lapsed })}</p>
        )}
      </div>
    </section>
  );
}
