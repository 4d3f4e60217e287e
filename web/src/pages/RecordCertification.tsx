/**
 * "Record a certification" (POST /api/certifications, one row): the person by e-mail, the vendor's code,
 * kind, product family and dates; the API's refusals shown by the fields. For those `me.can` allows
 * (writeCertifications: vendor admins and channel managers).
 */
import { useState, type FormEvent } from 'react';
import { ErrorBanner } from '../components/ui';
import { postSignedIn } from '../hooks';
import { useT } from '../i18n';
import { ApiError, problemOf, type Problem } from '../lib/api';
import { fieldKey } from '../lib/deals';

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
  const [values, setValues] = useState<Record<Field, string>>({
    email: '',
    code: '',
    kind: kinds[0]?.value ?? '',
    family: families[0]?.value ?? '',
    earnedOn: '',
    expiresOn: '',
  });
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const set = (key: Field) => (value: string) => setValues((v) => ({ ...v, [key]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    setDone(null);
    const found: Partial<Record<Field, string>> = {};
    if (!values.email.includes('@')) found.email = t('admin.record.emailRequired');
    if (!values.code.trim()) found.code = t('admin.record.codeRequired');
    if (!values.earnedOn) found.earnedOn = t('admin.record.dateRequired');
    if (!values.expiresOn) found.expiresOn = t('admin.record.dateRequired');
    else if (values.earnedOn && values.expiresOn <= values.earnedOn)
      found.expiresOn = t('admin.record.expiresAfter');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const answer = await postSignedIn<{ count: number; ids: string[] }>('/api/certifications', {
        certifications: [{ ...values, email: values.email.trim(), code: values.code.trim() }],
      });
      if (answer) {
        setDone(t('admin.record.recorded', { code: values.code.trim(), email: values.email.trim() }));
        setValues((v) => ({ ...v, email: '', code: '' }));
        onRecorded();
      }
    } catch (err) {
      const p = err instanceof ApiError ? err.problem : problemOf(err);
      const fields: Partial<Record<Field, string>> = {};
      const rest = [];
      for (const e of p.errors ?? []) {
        const key = fieldKey(e.location).replace(/^certifications\.\d+\.?/, '');
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

  const input = (key: Field, label: string, type: 'text' | 'email' | 'date', max?: number) => {
    const id = `record-${key}`;
    const error = errors[key];
    return (
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <input
          id={id}
          type={type}
          autoComplete="off"
          maxLength={max}
          value={values[key]}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => set(key)(e.target.value)}
        />
        {error && (
          <p id={`${id}-error`} className="hint field-error" role="alert">
            {error}
          </p>
        )}
      </div>
    );
  };
  const select = (key: Field, label: string, options: readonly { value: string; label: string }[]) => (
    <div className="field">
      <label htmlFor={`record-${key}`}>{label}</label>
      <select id={`record-${key}`} value={values[key]} onChange={(e) => set(key)(e.target.value)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {errors[key] && (
        <p className="hint field-error" role="alert">
          {errors[key]}
        </p>
      )}
    </div>
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
        {input('email', t('admin.record.email'), 'email', 320)}
        {input('code', t('admin.record.code'), 'text', 64)}
        {select('kind', t('admin.certifications.kind.header'), kinds)}
        {select('family', t('admin.certifications.family'), families)}
        {input('earnedOn', t('admin.record.earnedOn'), 'date')}
        {input('expiresOn', t('admin.record.expiresOn'), 'date')}
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
