/** The program readers' words (lib/program.ts `programWords`) for the current language, made once a render. */
import { useMemo } from 'react';
import { locale, plainT, useT } from '../i18n';
import { programWords, type ProgramWords } from '../lib/program';

export function useProgramWords(): ProgramWords {
  const t = useT();
  const where = locale();
  return useMemo(() => programWords(plainT(t), where), [t, where]);
}
