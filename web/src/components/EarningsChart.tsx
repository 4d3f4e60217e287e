/**
 * Earnings by month and component as stacked bars (an inline SVG, no chart library): each bar a month,
 * each band a component, clawbacks below the zero line. The same figures are one click away as a table,
 * and each band tells its amount on hover and to screen readers.
 */
import { useId } from 'react';
import { formatMoney, locale, useT } from '../i18n';
import type { EarningsChart as Chart } from '../lib/earnings-chart';
import { minorExponent } from '../lib/money';

const WIDTH = 520;
const HEIGHT = 220;
const LEFT = 64;
const RIGHT = 8;
const TOP = 10;
const BOTTOM = 24;

function monthLabel(month: string, style: 'short' | 'long'): string {
  const [y, m] = month.split('-').map(Number);
  if (!y || !m) return month;
  const at = new Date(Date.UTC(y, m - 1, 1));
  return new Intl.DateTimeFormat(locale(), {
    month: style,
    ...(style === 'long' ? { year: 'numeric' } : {}),
    timeZone: 'UTC',
  }).format(at);
}

/**
 * An axis label: "$1.5M", "1,5 M $US". Compact notation rounds, so it is used for the axis only; every
 * amount a person reads (bands, legend, table) is exact.
 */
function compactMoney(minor: number, currency: string): string {
  const exponent = minorExponent(currency);
  if (exponent === null) return formatMoney(minor, currency, { dropZeroMinor: true });
  return new Intl.NumberFormat(locale(), {
    style: 'currency',
    currency,
    notation: 'compact',
    maximumFractionDigits: 1,
  }).format(minor / 10 ** exponent);
}

export function EarningsChart({ chart, title }: { chart: Chart; title: string }) {
  const t = useT();
  const id = useId();
  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = HEIGHT - TOP - BOTTOM;
  const span = chart.top - chart.bottom || 1;
  const y = (v: number) => TOP + ((chart.top - v) / span) * plotH;
  const slot = plotW / Math.max(1, chart.months.length);
  const barW = Math.min(36, slot * 0.62);
  const money = (minor: number) => formatMoney(minor, chart.currency);
  const axisMoney = (minor: number) => compactMoney(minor, chart.currency);
  const summary = t('partner-home.chart.summary', {
    total: money(chart.totalMinor),
    months: chart.months.length,
    components: chart.series.map((s) => `${s.name} ${money(s.totalMinor)}`).join(', '),
  });
  return (
    <figure className="earnings-chart" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>
        {title} <span className="muted">({chart.currency})</span>
      </figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={summary}
        className="earnings-chart-svg"
        preserveAspectRatio="xMidYMid meet"
      >
        {chart.ticks.map((v) => (
          <g key={v} className={v === 0 ? 'chart-zero' : 'chart-grid'}>
            <line x1={LEFT} x2={WIDTH - RIGHT} y1={y(v)} y2={y(v)} />
            <text x={LEFT - 6} y={y(v)} dy="0.32em" textAnchor="end">
              {axisMoney(v)}
            </text>
          </g>
        ))}
        {chart.months.map((m, i) => {
          const x = LEFT + i * slot + (slot - barW) / 2;
          return (
            <g key={m.month} data-month={m.month}>
              {m.segments.map((s) => {
                const top = y(Math.max(s.from, s.to));
                const height = Math.max(1, Math.abs(y(s.from) - y(s.to)));
                const name = chart.series.find((c) => c.code === s.code)?.name ?? s.code;
                return (
                  <rect
                    key={s.code}
                    className={`chart-slot-${s.slot}`}
                    x={x}
                    y={top}
                    width={barW}
                    height={height}
                  >
                    <title>{`${monthLabel(m.month, 'long')} · ${name}: ${money(s.amountMinor)}`}</title>
                  </rect>
                );
              })}
              <text className="chart-month" x={x + barW / 2} y={HEIGHT - 6} textAnchor="middle">
                {monthLabel(m.month, 'short')}
              </text>
            </g>
          );
        })}
      </svg>
      <ul className="chart-legend" aria-label={t('partner-home.chart.legend')}>
        {chart.series.map((s) => (
          <li key={s.code}>
            <span className={`chart-swatch chart-slot-${s.slot}`} aria-hidden="true" />
            {s.name} <span className="muted">{money(s.totalMinor)}</span>
          </li>
        ))}
      </ul>
      <details className="chart-table">
        <summary>{t('partner-home.chart.asTable')}</summary>
        <div className="table-wrap">
          <table className="compact">
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{t('partner-home.chart.month')}</th>
                {chart.series.map((s) => (
                  <th key={s.code} scope="col" className="num">
                    {s.name}
                  </th>
                ))}
                <th scope="col" className="num">
                  {t('partner-home.chart.total')}
                </th>
              </tr>
            </thead>
            <tbody>
              {chart.months.map((m) => (
                <tr key={m.month}>
                  <th scope="row">{monthLabel(m.month, 'long')}</th>
                  {chart.series.map((s) => {
                    const seg = m.segments.find((x) => x.code === s.code);
                    return (
                      <td key={s.code} className="num">
                        {seg ? money(seg.amountMinor) : ''}
                      </td>
                    );
                  })}
                  <td className="num">{money(m.totalMinor)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
