/**
 * "Record a certification" (POST /api/certifications, one row): the person by e-mail, the vendor's code,
 * kind, product family and dates; the API's refusals shown by the fields. For those `me.can` allows
 * (writeCertifications: vendor admins and channel managers).
 */
import { useState } from 'react';
import { ErrorBanner } from '../components/ui';
import { postSignedIn } from '../hooks';
import { useT } from '../i18n';
import { useFieldForm } from '../components/field-form';

const FIELDS = ['email', 'code', 'kind', 'family', 'earnedOn', 'expiresOn'] as const;
type Field = (typeof FIELDS)[number];

export function RecordCertification({
  kinds,
  families,
  onRecorded,
}: {
  kinds: readonly { value: string; label: string }[];
  families: readonly { value: string; label: string }[];
  onRecorded: () => void;
}) {
  const t = useT();
  const form = useFieldForm({
    idPrefix: 'record',
    fields: FIELDS,
    initial: {
      email: '',
      code: '',
      kind: kinds[0]?.value ?? '',
      family: families[0]?.value ?? '',
      earnedOn: '',
      expiresOn: '',
    },
    fieldOf: (key) => key.replace(/^certifications\.\d+\.?/, ''),
  });
  const { values, busy, problem, input, select } = form;
  const [done, setDone] = useState<string | null>(null);

  const submit = form.submit(
    () => {
      setDone(null);
      const found: Partial<Record<Field, string>> = {};
      if (!values.email.includes('@')) found.email = t('admin.record.emailRequired');
      if (!values.code.trim()) found.code = t('admin.record.codeRequired');
      if (!values.earnedOn) found.earnedOn = t('admin.record.dateRequired');
      if (!values.expiresOn) found.expiresOn = t('admin.record.dateRequired');
      else if (values.earnedOn && values.expiresOn <= values.earnedOn)
        found.expiresOn = t('admin.record.expiresAfter');
      return found;
    },
    async () => {
      const answer = await postSignedIn<{ count: number; ids: string[] }>('/api/certifications', {
        certifications: [{ ...values, email: values.email.trim(), code: values.code.trim() }],
      });
      if (answer) {
        setDone(t('admin.record.recorded', { code: values.code.trim(), email: values.email.trim() }));
        form.setValues((v) => ({ ...v, email: '', code: '' }));
        onRecorded();
      }
    },
  );

  return (
    <form
      className="inline-form"
      aria-labelledby="record-certification"
      onSubmit={(e) => void submit(e)}
      noValidate
    >
      <h2 id="record-certification">{t('admin.record.title')}</h2>
      <div className="inline-form-fields">
        {input('email', t('admin.record.email'), { type: 'email', max: 320 })}
        {input('code', t('admin.record.code'), { max: 64 })}
        {select('kind', t('admin.certifications.kind.header'), kinds)}
        {select('family', t('admin.certifications.family'), families)}
        {input('earnedOn', t('admin.record.earnedOn'), { type: 'date' })}
        {input('expiresOn', t('admin.record.expiresOn'), { type: 'date' })}
        <div className="field field-actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            {t('admin.record.submit')}
          </button>
        </div>
      </div>
      {problem && <ErrorBanner problem={problem} />}
      <div role="status">{done && <p className="banner banner-info">{done}</p>}</div>
    </form>
  );
}
