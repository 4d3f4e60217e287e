import { LANGUAGES, setLanguage, useLocale, useT, type Language } from './index';

const NAMES: Record<Language, string> = { en: 'English', fr: 'Français' };

/** The language switch in the header: each language named in itself; the choice persists. */
export function LanguageSwitch() {
  const t = useT();
  const { language } = useLocale();
  return (
    <label className="language-switch">
      <span className="visually-hidden">{t('common.language')}</span>
      <select
        value={language}
        onChange={(e) => setLanguage(e.target.value as Language)}
        data-testid="language-switch"
      >
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>
            {NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
