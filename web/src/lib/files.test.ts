import { describe, expect, it } from 'vitest';
import { i18n, plainT } from '../i18n';
import { fileSizeText } from './files';

describe('file sizes', () => {
  it('reads in English and in French', () => {
    const en = plainT(i18n.getFixedT('en'));
    const fr = plainT(i18n.getFixedT('fr'));
    expect(fileSizeText(512, en, 'en-GB')).toBe('512 bytes');
    expect(fileSizeText(1536, en, 'en-GB')).toBe('1.5 KB');
    expect(fileSizeText(10 * 1024 * 1024, en, 'en-GB')).toBe('10 MB');
    expect(fileSizeText(2_621_440, fr, 'fr-FR')).toBe('2,5 Mo');
  });
});
