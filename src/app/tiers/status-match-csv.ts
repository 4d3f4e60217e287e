import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { TrellisError } from '../../core/shared/errors.js';
import { csvBatches, readCsvHeader, wrongWidth, type CsvTextProblem } from '../csv/read-csv.js';
import type { LegacyTierRow } from './status-match.js';

const COLUMNS = ['partner_id', 'legacy_program', 'legacy_tier'] as const;
type Column = (typeof COLUMNS)[number];

/**
 * Reads a status-match file (`trellis tiers status-match`; docs/csv-formats.md, "Status match"): a header
 * with `partner_id`, `legacy_program` and `legacy_tier`, then one legacy tier a row, through the one CSV
 * reader. Every row's location is `file:line:column`. A file with any problem is refused as a whole
 * (`invalid_input`, one detail per problem, in file order), before anything is written.
 */
export async function readStatusMatchCsv(file: string): Promise<LegacyTierRow[]> {
  try {
    await stat(file);
  } catch (e) {
    throw new TrellisError('invalid_input', `cannot read ${file}: ${(e as Error).message}`);
  }
  const rows: LegacyTierRow[] = [];
  const problems: CsvTextProblem[] = [];
  const at = (line: number, column: number) => `${file}:${line}:${column}`;
  let index: Partial<Record<Column, number>> | null = null;
  let width = 0;
  reading: for await (const batch of csvBatches(createReadStream(file))) {
    for (const p of batch.problems) {
      problems.push(p);
      if (!index && p.line <= (batch.lines[0] ?? Infinity)) break reading;
    }
    for (let r = 0; r < batch.records.length; r++) {
      const record = batch.records[r] as string[];
      const line = batch.lines[r] as number;
      if (!index) {
        const header = readCsvHeader(record, line, COLUMNS, COLUMNS);
        for (const p of header.problems) problems.push(p);
        if (header.problems.length > 0) break reading;
        index = header.index;
        width = record.length;
        continue;
      }
      const badWidth = wrongWidth(record, line, width);
      if (badWidth) {
        problems.push(badWidth);
        continue;
      }
      const columns = index;
      const value = (c: Column) => record[columns[c] as number] ?? '';
      const missing = COLUMNS.filter((c) => value(c) === '');
      if (missing.length > 0) {
        problems.push({
          line,
          column: (columns[missing[0] as Column] as number) + 1,
          message: `missing ${missing.join(', ')}`,
        });
        continue;
      }
      rows.push({
        location: at(line, (columns.partner_id as number) + 1),
        partnerId: value('partner_id'),
        legacyProgram: value('legacy_program'),
        legacyTier: value('legacy_tier'),
      });
    }
  }
  if (!index && problems.length === 0)
    problems.push({ line: 1, column: 1, message: 'the file is empty: it needs a header row' });
  if (problems.length > 0)
    throw new TrellisError(
      'invalid_input',
      `${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was written`,
      problems
        .sort((a, b) => a.line - b.line || a.column - b.column)
        .map((p) => ({ location: at(p.line, p.column), message: p.message })),
    );
  return rows;
}
