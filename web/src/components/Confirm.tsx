/** Asks before a step that cannot be undone (a close, a payment): the question, then yes or cancel. */
import type { ReactNode } from 'react';
import { useT } from '../i18n';

export function Confirm({
  question,
  children,
  yes,
  busy = false,
  onYes,
  onCancel,
}: {
  question: string;
  children?: ReactNode;
  yes: string;
  busy?: boolean;
  onYes: () => void;
  onCancel: () => void;
}) {
  const t = useT();
  return (
    <div className="banner banner-warn confirm" role="alertdialog" aria-label={question}>
      <p>
        <strong>{question}</strong>
      </p>
      {children}
      <p className="confirm-actions">
        <button type="button" className="button button-primary" disabled={busy} onClick={onYes}>
          {yes}
        </button>{' '}
        <button type="button" className="button" disabled={busy} onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </p>
    </div>
  );
}
