/**
 * The state and fields of a small write form (a few text, date and choice fields, one POST): the values,
 * each field's error (the person's own mistakes found before sending, then the API's refusals placed by
 * the field they name), the rest of a refusal as a banner, and the busy flag. `input` and `select` render
 * labelled fields whose errors are announced and tied to them (aria-describedby).
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, problemOf, type Problem } from '../lib/api';
import { fieldKey } from '../lib/deals';

export interface FieldFormOptions<F extends string> {
  /** Prefix of the fields' element ids ("product" gives "product-sku"). */
  readonly idPrefix: string;
  readonly fields: readonly F[];
  readonly initial: Readonly<Record<F, string>>;
  /** The field an API error's location names, as `fieldKey` reads it (e.g. strip "certifications.0."). */
  readonly fieldOf?: (key: string) => string;
}

export function useFieldForm<F extends string>({ idPrefix, fields, initial, fieldOf }: FieldFormOptions<F>) {
  const [values, setValues] = useState<Record<F, string>>({ ...initial });
  const [errors, setErrors] = useState<Partial<Record<F, string>>>({});
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (key: F) => (value: string) => setValues((v) => ({ ...v, [key]: value }));
  const isField = (key: string): key is F => (fields as readonly string[]).includes(key);

  /**
   * Submits: `check` returns the person's mistakes (nothing is sent while there is one), `send` posts;
   * a refusal's errors go to the fields they name, the rest to the banner.
   */
  const submit =
    (check: () => Partial<Record<F, string>>, send: () => Promise<void>) => async (event: FormEvent) => {
      event.preventDefault();
      setProblem(null);
      const found = check();
      setErrors(found);
      if (Object.keys(found).length > 0) return;
      setBusy(true);
      try {
        await send();
      } catch (err) {
        const p = err instanceof ApiError ? err.problem : problemOf(err);
        const placed: Partial<Record<F, string>> = {};
        const rest = [];
        for (const e of p.errors ?? []) {
          const key = (fieldOf ?? ((k: string) => k))(fieldKey(e.location));
          if (isField(key) && !placed[key]) placed[key] = e.message;
          else rest.push(e);
        }
        setErrors(placed);
        setProblem({ ...p, errors: rest });
      } finally {
        setBusy(false);
      }
    };

  const errorOf = (key: F): ReactNode =>
    errors[key] ? (
      <p id={`${idPrefix}-${key}-error`} className="hint field-error" role="alert">
        {errors[key]}
      </p>
    ) : null;
  const described = (key: F) => ({
    'aria-invalid': errors[key] ? true : undefined,
    'aria-describedby': errors[key] ? `${idPrefix}-${key}-error` : undefined,
  });

  const input = (key: F, label: string, options: { type?: 'text' | 'email' | 'date'; max?: number } = {}) => (
    <div className="field">
      <label htmlFor={`${idPrefix}-${key}`}>{label}</label>
      <input
        id={`${idPrefix}-${key}`}
        type={options.type ?? 'text'}
        autoComplete="off"
        maxLength={options.max}
        value={values[key]}
        {...described(key)}
        onChange={(e) => set(key)(e.target.value)}
      />
      {errorOf(key)}
    </div>
  );

  const select = (key: F, label: string, choices: readonly { value: string; label: string }[]) => (
    <div className="field">
      <label htmlFor={`${idPrefix}-${key}`}>{label}</label>
      <select
        id={`${idPrefix}-${key}`}
        value={values[key]}
        {...described(key)}
        onChange={(e) => set(key)(e.target.value)}
      >
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
      {errorOf(key)}
    </div>
  );

  return { values, setValues, errors, problem, busy, submit, input, select };
}
