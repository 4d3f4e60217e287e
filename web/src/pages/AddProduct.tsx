/**
 * "Add a product" on the products list (POST /api/products), for those `me.can` allows (writeProducts:
 * vendor admins): SKU, name, family, list price typed in the person's locale, licensing for software and
 * the solution area; the API's refusals shown by the fields. The same SKU with the same content answers
 * the stored product.
 */
import { useState, type FormEvent } from 'react';
import { ErrorBanner } from '../components/ui';
import { postSignedIn } from '../hooks';
import { useT } from '../i18n';
import { ApiError, problemOf, type Problem } from '../lib/api';
import { fieldKey } from '../lib/deals';
import { parseMoneyInput } from '../lib/money';
import { detailPath } from '../lib/routes';
import { Link } from '../router';
import { LICENSING_MODELS, PRODUCT_FAMILIES } from '../lib/codes';
import type { Schema } from '../api/types';

type Product = Schema<'Product'>;

const FIELDS = ['sku', 'name', 'family', 'listPriceMinor', 'currency', 'licensing', 'solution'] as const;
type Field = (typeof FIELDS)[number];

export function AddProduct({ onAdded }: { onAdded: () => void }) {
  const t = useT();
  const [values, setValues] = useState<Record<Field, string>>({
    sku: '',
    name: '',
    family: PRODUCT_FAMILIES[0] ?? '',
    listPriceMinor: '',
    currency: 'USD',
    licensing: '',
    solution: '',
  });
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [added, setAdded] = useState<Product | null>(null);
  const set = (key: Field) => (value: string) => setValues((v) => ({ ...v, [key]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    setAdded(null);
    const found: Partial<Record<Field, string>> = {};
    if (!values.sku.trim()) found.sku = t('actions.product.skuRequired');
    if (!values.name.trim()) found.name = t('actions.product.nameRequired');
    const currency = values.currency.trim().toUpperCase();
    if (!/^[A-Z]{3}$/.test(currency)) found.currency = t('actions.product.currencyFormat');
    const price = found.currency ? null : parseMoneyInput(values.listPriceMinor, currency);
    if (price && !price.ok) found.listPriceMinor = price.message;
    setErrors(found);
    if (Object.keys(found).length > 0 || !price?.ok) return;
    setBusy(true);
    try {
      const answer = await postSignedIn<Product>('/api/products', {
        sku: values.sku.trim(),
        name: values.name.trim(),
        family: values.family,
        listPriceMinor: price.minor,
        currency,
        licensing: values.licensing || null,
        solution: values.solution.trim() || null,
      });
      if (answer) {
        setAdded(answer);
        setValues((v) => ({ ...v, sku: '', name: '', listPriceMinor: '', solution: '' }));
        onAdded();
      }
    } catch (err) {
      const p = err instanceof ApiError ? err.problem : problemOf(err);
      const fields: Partial<Record<Field, string>> = {};
      const rest = [];
      for (const e of p.errors ?? []) {
        const key = fieldKey(e.location);
        if ((FIELDS as readonly string[]).includes(key) && !fields[key as Field])
          fields[key as Field] = e.message;
        else rest.push(e);
      }
      setErrors(fields);
      setProblem({ ...p, errors: rest });
    } finally {
      setBusy(false);
    }
  };

  const error = (key: Field) =>
    errors[key] ? (
      <p id={`product-${key}-error`} className="hint field-error" role="alert">
        {errors[key]}
      </p>
    ) : null;
  const input = (key: Field, label: string, max: number) => (
    <div className="field">
      <label htmlFor={`product-${key}`}>{label}</label>
      <input
        id={`product-${key}`}
        type="text"
        autoComplete="off"
        maxLength={max}
        value={values[key]}
        aria-invalid={errors[key] ? true : undefined}
        aria-describedby={errors[key] ? `product-${key}-error` : undefined}
        onChange={(e) => set(key)(e.target.value)}
      />
      {error(key)}
    </div>
  );
  const select = (key: Field, label: string, choices: readonly { value: string; label: string }[]) => (
    <div className="field">
      <label htmlFor={`product-${key}`}>{label}</label>
      <select
        id={`product-${key}`}
        value={values[key]}
        aria-describedby={errors[key] ? `product-${key}-error` : undefined}
        onChange={(e) => set(key)(e.target.value)}
      >
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
      {error(key)}
    </div>
  );

  return (
    <form className="inline-form" aria-labelledby="add-product" onSubmit={(e) => void submit(e)} noValidate>
      <h2 id="add-product">{t('actions.product.title')}</h2>
      <div className="inline-form-fields">
        {input('sku', t('actions.product.sku'), 64)}
        {input('name', t('actions.product.name'), 200)}
        {select(
          'family',
          t('actions.product.family'),
          PRODUCT_FAMILIES.map((f) => ({ value: f, label: t(`deals.families.${f}`) })),
        )}
        {input('listPriceMinor', t('actions.product.listPrice'), 32)}
        {input('currency', t('actions.product.currency'), 3)}
        {select('licensing', t('actions.product.licensing'), [
          { value: '', label: t('actions.product.noLicensing') },
          ...LICENSING_MODELS.map((m) => ({ value: m, label: m })),
        ])}
        {input('solution', t('actions.product.solution'), 64)}
        <div className="field field-actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            {t('actions.product.submit')}
          </button>
        </div>
      </div>
      {problem && <ErrorBanner problem={problem} />}
      <div role="status">
        {added && (
          <p className="banner banner-info">
            {t('actions.product.added', { sku: added.sku })}{' '}
            <Link to={detailPath('products', added.id)}>{added.name}</Link>
          </p>
        )}
      </div>
    </form>
  );
}
