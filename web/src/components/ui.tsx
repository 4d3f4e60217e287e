import { Component, useEffect, useRef, type ErrorInfo, type ReactNode } from 'react';
import type { Problem } from '../lib/api';
import { formatIso } from '../lib/format';
import { formatMoney, formatMoneyValue, type Money as MoneyValue } from '../lib/money';
import { signInPath } from '../lib/routes';
import { amountSign } from '../lib/settlement';
import { Link, takeFocusRequest } from '../router';
import { useTitle } from '../hooks';
import { formatDate, formatDateTime, language, useT } from '../i18n';
import { problemText } from '../i18n/problems';

export function PageHeading({ title, children }: { title: string; children?: ReactNode }) {
  useTitle(title);
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (takeFocusRequest()) ref.current?.focus();
  }, []);
  return (
    <div className="page-heading">
      <h1 ref={ref} tabIndex={-1}>
        {title}
      </h1>
      {children}
    </div>
  );
}

export function ErrorBanner({
  problem,
  onRetry,
  signInHint = true,
}: {
  problem: Problem;
  onRetry?: () => void;
  /** Offer a sign-in link on a 401; off where the 401 is the sign-in form's own answer. */
  signInHint?: boolean;
}) {
  const t = useT();
  const { title, detail } = problemText(problem, t);
  return (
    <div className="banner banner-error" role="alert">
      <p>
        <strong>{title}</strong>
        {problem.status > 0 && <span className="muted"> ({problem.status})</span>}: {detail}
      </p>
      {problem.errors && problem.errors.length > 0 && (
        <ul>
          {problem.errors.map((e, i) => (
            <li key={i}>
              {e.location && <code>{e.location}</code>} {e.message}
            </li>
          ))}
        </ul>
      )}
      {problem.status === 401 && signInHint && (
        <p>
          <Link to={signInPath(window.location.pathname + window.location.search)}>{t('common.signIn')}</Link>{' '}
          {t('problems.toSeeThis')}
        </p>
      )}
      {onRetry && (problem.status === 0 || problem.status === 429 || problem.status >= 500) && (
        <button type="button" className="button" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

export function Loading({ what }: { what?: string }) {
  const t = useT();
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {what === undefined ? t('common.loading') : `${what}…`}
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

export function Money({ minor, currency }: { minor: number; currency: string }) {
  return <span className="num">{formatMoney(minor, currency)}</span>;
}

/** An amount whose sign matters (statement lines, clawbacks, true-ups): negative ones are marked. */
export function SignedMoney({ minor, currency }: { minor: number; currency: string }) {
  return <span className={`num amount amount-${amountSign(minor)}`}>{formatMoney(minor, currency)}</span>;
}

export function MoneyOf({ value }: { value: MoneyValue }) {
  return <span className="num">{formatMoneyValue(value, undefined, { dropZeroMinor: true })}</span>;
}

export function IsoTime({ value, dateOnly = false }: { value: string | null; dateOnly?: boolean }) {
  if (!value) return <span className="muted">—</span>;
  return (
    <time dateTime={value} title={value}>
      {language() === 'en'
        ? formatIso(value, dateOnly)
        : dateOnly
          ? formatDate(value)
          : formatDateTime(value)}
    </time>
  );
}

export function Badge({
  tone = 'neutral',
  children,
}: {
  tone?: 'ok' | 'warn' | 'bad' | 'neutral' | 'info';
  children: ReactNode;
}) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

export function Dash() {
  return <span className="muted">—</span>;
}

export function JsonDetails({ value, summary = 'JSON' }: { value: unknown; summary?: string }) {
  return (
    <details className="json">
      <summary>{summary}</summary>
      <pre tabIndex={0}>{JSON.stringify(value, null, 2)}</pre>
    </details>
  );
}

/** A horizontally scrollable, keyboard-focusable wrapper for wide tables. */
export function TableWrap({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

export function Fields({ items }: { items: readonly (readonly [string, ReactNode])[] }) {
  return (
    <dl className="fields">
      {items.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value ?? <Dash />}</dd>
        </div>
      ))}
    </dl>
  );
}

interface BoundaryProps {
  readonly fallback: (error: Error) => ReactNode;
  readonly children: ReactNode;
}

/** Keeps one badly shaped section from taking the whole page down. */
export class ErrorBoundary extends Component<BoundaryProps, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('render failed', error, info.componentStack);
  }
  override render() {
    return this.state.error ? this.props.fallback(this.state.error) : this.props.children;
  }
}
