import { readFile } from 'node:fs/promises';
import type { ProgramFileError } from '../../core/programs/parse.js';
import { parseProgramDocument } from '../../core/programs/parse.js';
import { summarizeProgram } from '../../core/programs/summary.js';
import type { TrellisDocument } from '../../core/programs/types.js';

export interface ProgramFileResult {
  readonly file: string;
  readonly ok: boolean;
  readonly errors: readonly ProgramFileError[];
  /** The human summary, for valid files. */
  readonly summary?: string;
  /** The parsed document, for valid files. */
  readonly document?: TrellisDocument;
}

/**
 * Reads and validates program and agreement files, one result per path in order. A missing or
 * unreadable file is an error for that file at line 1, column 1; other files are still checked.
 */
export async function validateProgramFiles(paths: readonly string[]): Promise<ProgramFileResult[]> {
  return Promise.all(
    paths.map(async (file): Promise<ProgramFileResult> => {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(error);
        return {
          file,
          ok: false,
          errors: [{ file, line: 1, column: 1, path: '', message: `cannot read file: ${reason}` }],
        };
      }
      const result = parseProgramDocument(text, file);
      return result.ok
        ? {
            file,
            ok: true,
            errors: [],
            summary: summarizeProgram(result.document),
            document: result.document,
          }
        : { file, ok: false, errors: result.errors };
    }),
  );
}
