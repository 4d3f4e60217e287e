/**
 * "Add a product" on the products list (POST /api/products), for those `me.can` allows (writeProducts:
 * vendor admins): SKU, name, family, list price typed in the person's locale, licensing for software and
 * the solution area; the API's refusals shown by the fields. The same SKU with the same content answers
 * the stored product.
 */
import { useState } from 'react';
import { ErrorBanner } from '../components/ui';
import { postSignedIn } from '../hooks';
import { useT } from '../i18n';
import { useFieldForm } from '../components/field-form';
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
  const form = useFieldForm({
    idPrefix: 'product',
    fields: FIELDS,
    initial: {
      sku: '',
      name: '',
      family: PRODUCT_FAMILIES[0] ?? '',
      listPriceMinor: '',
      currency: 'USD',
      licensing: '',
      solution: '',
    },
  });
  const { values, busy, problem, input, select } = form;
  const [added, setAdded] = useState<Product | null>(null);
  const currency = values.currency.trim().toUpperCase();
  const price = () => parseMoneyInput(values.listPriceMinor, currency);

  const submit = form.submit(
    () => {
      setAdded(null);
      const found: Partial<Record<Field, string>> = {};
      if (!values.sku.trim()) found.sku = t('actions.product.skuRequired');
      if (!values.name.trim()) found.name = t('actions.product.nameRequired');
      if (!/^[A-Z]{3}$/.test(currency)) found.currency = t('actions.product.currencyFormat');
      else {
        const p = price();
        if (!p.ok) found.listPriceMinor = p.message;
      }
      return found;
    },
    async () => {
      const p = price();
      if (!p.ok) return;
      const answer = await postSignedIn<Product>('/api/products', {
        sku: values.sku.trim(),
        name: values.name.trim(),
        family: values.family,
        listPriceMinor: p.minor,
        currency,
        licensing: values.licensing || null,
        solution: values.solution.trim() || null,
      });
      if (answer) {
        setAdded(answer);
        form.setValues((v) => ({ ...v, sku: '', name: '', listPriceMinor: '', solution: '' }));
        onAdded();
      }
    },
  );

  return (
    <form className="inline-form" aria-labelledby="add-product" onSubmit={(e) => void submit(e)} noValidate>
      <h2 id="add-product">{t('actions.product.title')}</h2>
      <div className="inline-form-fields">
        {input('sku', t('actions.product.sku'), { max: 64 })}
        {input('name', t('actions.product.name'), { max: 200 })}
        {select(
          'family',
          t('actions.product.family'),
          PRODUCT_FAMILIES.map((f) => ({ value: f, label: t(`deals.families.${f}`) })),
        )}
        {input('listPriceMinor', t('actions.product.listPrice'), { max: 32 })}
        {input('currency', t('actions.product.currency'), { max: 3 })}
        {select('licensing', t('actions.product.licensing'), [
          { value: '', label: t('actions.product.noLicensing') },
          ...LICENSING_MODELS.map((m) => ({ value: m, label: m })),
        ])}
        {input('solution', t('actions.product.solution'), { max: 64 })}
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
