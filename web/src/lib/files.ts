import type { Translate } from './standing';

/** How large a file is, in the person's language: bytes below 1 KB, then KB, then MB (one decimal). */
export function fileSizeText(bytes: number, t: Translate, locale: string): string {
  const one = (n: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(n);
  if (bytes < 1024) return t('files.size.bytes', { count: bytes });
  if (bytes < 1024 * 1024) return t('files.size.kib', { value: one(bytes / 1024) });
  return t('files.size.mib', { value: one(bytes / 1024 / 1024) });
}

/** The `accept` of a file input for the kinds the server takes (it decides from the bytes anyway). */
export const UPLOAD_ACCEPT = [
  '.pdf',
  '.png',
  '.jpg',
  '.jpeg',
  '.gif',
  '.webp',
  '.txt',
  '.csv',
  '.docx',
  '.xlsx',
  '.pptx',
].join(',');
