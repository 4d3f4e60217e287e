import { formatNumber, useT } from '../i18n';
import type { ReactNode } from 'react';
import { humanize } from '../lib/format';
import { formatMoneyValue, isMoney } from '../lib/money';
import { formatCondition, formatDuration, formatMonthDay, isRecord } from '../lib/program';
import { useProgramWords } from './program-words';
import { Dash, JsonDetails } from './ui';

function isScalar(v: unknown): v is string | number | boolean | null {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

type Tf = ReturnType<typeof useT>;

function scalar(v: string | number | boolean | null, t: Tf): ReactNode {
  if (v === null) return <Dash />;
  if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
  if (typeof v === 'number') return formatNumber(v);
  return v;
}

/** Best-effort, recursive rendering of a policy object: money, durations and conditions get their
 * usual forms, uniform lists of objects become tables, anything deeper falls back to JSON. */
export function ValueView({ value, depth = 0 }: { value: unknown; depth?: number }): ReactNode {
  const t = useT();
  const words = useProgramWords();
  if (isScalar(value)) return scalar(value, t);
  if (isMoney(value))
    return <span className="num">{formatMoneyValue(value, undefined, { dropZeroMinor: true })}</span>;
  const duration = formatDuration(value, words);
  if (duration) return duration;
  const monthDay = formatMonthDay(value);
  if (monthDay) return monthDay;
  if (isRecord(value) && ('attribute' in value || 'all' in value || 'any' in value || 'not' in value)) {
    const c = formatCondition(value);
    if (c) return <code>{c}</code>;
  }
  if (depth > 3) return <JsonDetails value={value} />;
  if (Array.isArray(value)) {
    if (value.length === 0) return <span className="muted">{t('programs.valueView.none')}</span>;
    if (value.every(isScalar)) return value.map((v) => String(v)).join(', ');
    if (value.every(isRecord)) {
      const keys = [...new Set(value.flatMap((v) => Object.keys(v)))];
      return (
        <table className="compact">
          <thead>
            <tr>
              {keys.map((k) => (
                <th key={k} scope="col">
                  {humanize(k)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {value.map((row, i) => (
              <tr key={i}>
                {keys.map((k) => (
                  <td key={k}>{k in row ? <ValueView value={row[k]} depth={depth + 1} /> : <Dash />}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      );
    }
    return <JsonDetails value={value} />;
  }
  if (isRecord(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return <span className="muted">{t('programs.valueView.none')}</span>;
    return (
      <dl className="fields nested">
        {entries.map(([k, v]) => (
          <div key={k}>
            <dt>{humanize(k)}</dt>
            <dd>
              <ValueView value={v} depth={depth + 1} />
            </dd>
          </div>
        ))}
      </dl>
    );
  }
  return <JsonDetails value={value} />;
}
