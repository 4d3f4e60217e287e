/**
 * What a stored file is for. `mdf-proof`: proof of a market development fund activity (invoices, photos,
 * attendee lists), referenced by MDF claims. A new purpose is added here.
 */
export const FILE_PURPOSES = ['mdf-proof'] as const;
export type FilePurpose = (typeof FILE_PURPOSES)[number];

export function isFilePurpose(value: string): value is FilePurpose {
  return (FILE_PURPOSES as readonly string[]).includes(value);
}
