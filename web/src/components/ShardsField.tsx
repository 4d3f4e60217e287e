/**
 * The "Shards of partners" field of the forms that start a close or a simulation: a whole number from 1
 * to 16, or empty for the server's default (the result is the same whatever the count).
 */
export function ShardsField({
  id,
  label,
  hint,
  value,
  onChange,
}: {
  id: string;
  label: string;
  hint: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        min={1}
        max={16}
        step={1}
        inputMode="numeric"
        placeholder="1"
        aria-describedby={`${id}-hint`}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
      <small id={`${id}-hint`} className="hint">
        {hint}
      </small>
    </div>
  );
}

/** The body field for a shards value typed in a ShardsField: absent when empty. */
export const shardsBody = (value: string): { shards?: number } =>
  value.trim() === '' ? {} : { shards: Number(value) };
