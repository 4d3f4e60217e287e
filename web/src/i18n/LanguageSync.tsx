import { useEffect } from 'react';
import { putSignedIn, useMe } from '../hooks';
import { hasSavedLanguage, isLanguageChoice, language, onLanguageSaved, setLanguage } from './index';

let registered = false;

/**
 * Keeps the language in step with the signed-in person's profile: a browser with no choice of its own
 * takes the language the person chose elsewhere, and a choice made with the switch is saved on the profile
 * (so e-mails come in it too). Renders nothing.
 */
export function LanguageSync() {
  const me = useMe();
  const person = me.status === 'ok' && me.data.kind === 'person' ? me.data : null;
  const chosen = person?.locale ?? null;
  useEffect(() => {
    if (!person) return;
    if (!registered) {
      registered = true;
      onLanguageSaved((next) => {
        // Best effort: the choice holds in this browser whatever the server answers.
        putSignedIn('/api/me/preferences', { locale: next }).catch(() => undefined);
      });
    }
    if (!hasSavedLanguage() && isLanguageChoice(chosen) && chosen !== language()) setLanguage(chosen);
  }, [person, chosen]);
  return null;
}
