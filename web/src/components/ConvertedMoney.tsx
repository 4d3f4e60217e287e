import { useT } from '../i18n';
import { formatMoney, numberConventions } from '../lib/money';

/** An exact decimal rate ("1.0712") with the reader's decimal separator, never through a float. */
export function formatRate(rate: string): string {
  return rate.replace('.', numberConventions().decimal);
}

/**
 * An amount in the program's currency, and, when it was invoiced in another (issue 17), what was invoiced
 * and the rate: "EUR 10,000.00 → USD 10,712.00 at 1.0712".
 */
export function ConvertedMoney({
  minor,
  currency,
  originalMinor,
  originalCurrency,
  rate,
}: {
  minor: number;
  currency: string;
  originalMinor?: number | null | undefined;
  originalCurrency?: string | null | undefined;
  rate?: string | null | undefined;
}) {
  const t = useT();
  const converted = formatMoney(minor, currency);
  if (originalMinor === null || originalMinor === undefined || !originalCurrency)
    return <span className="num">{converted}</span>;
  const original = formatMoney(originalMinor, originalCurrency);
  return (
    <span className="num">
      {rate
        ? t('settle.details.converted', { original, converted, rate: formatRate(rate) })
        : t('settle.details.convertedTotal', { original, converted })}
    </span>
  );
}
