import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, csvRow, isFormulaLike, neutraliseCell } from '../../core/shared/csv.js';
import { csvBatches, readCsvHeader, type CsvTextProblem } from './read-csv.js';

/** Reads CSV text given as UTF-8 chunks split at the given byte offsets. */
async function readAll(
  text: string,
  cuts: number[] = [],
): Promise<{ records: string[][]; lines: number[]; problems: CsvTextProblem[] }> {
  const bytes = Buffer.from(text, 'utf8');
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const c of [...at, bytes.length]) {
    chunks.push(bytes.subarray(from, c));
    from = c;
  }
  const out = { records: [] as string[][], lines: [] as number[], problems: [] as CsvTextProblem[] };
  for await (const b of csvBatches(
    (async function* () {
      yield* chunks;
    })(),
  )) {
    out.records.push(...b.records);
    out.lines.push(...b.lines);
    out.problems.push(...b.problems);
  }
  return out;
}

// eslint-disable-next-line no-control-regex -- removing control characters is the point
const REFUSED_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const FORMULA_CHARACTERS = ['=', '+', '-', '@', '\t', '\r'];
/** Text cells biased towards what breaks CSV and spreadsheets: formula starts, quotes, separators, spaces. */
const cell = fc.oneof(
  // Any text but the control characters the reader refuses (tested on their own below).
  fc.string({ unit: 'binary', maxLength: 12 }).map((s) => s.replace(REFUSED_CONTROL, '')),
  fc
    .tuple(
      fc.constantFrom(...FORMULA_CHARACTERS, ' ', ' =', '"', ',', '\n', '\r\n', "'", '\uFEFF', '\u00a0', ''),
      fc.string({
        unit: fc.constantFrom('a', '1', '.', ',', '"', '\n', '\r', ' ', '\t', '=', '-', '(', "'"),
        maxLength: 10,
      }),
    )
    .map(([a, b]) => a + b),
  fc.constantFrom(
    '-12.50',
    '-3',
    '0.5',
    '+1',
    '=SUM(A1:A2)',
    '@cmd',
    "-2+3+cmd|' /C calc'!A0",
    '\t=1',
    ' -1',
  ),
);

describe('the CSV writer and reader', () => {
  it('reads back every text cell as written, but for the documented neutralisation, in any chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        async (rows, cuts) => {
          const text = rows.map(csvRow).join('');
          const read = await readAll(text, cuts);
          expect(read.problems).toEqual([]);
          expect(read.records).toEqual(rows.map((r) => r.map(neutraliseCell)));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('writes no cell a spreadsheet would read as a formula: each begins with no formula character, or is a plain number', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { maxLength: 6 }),
        async (rows) => {
          const read = await readAll(rows.map(csvRow).join(''));
          for (const record of read.records)
            for (const c of record) {
              expect(isFormulaLike(c)).toBe(false);
              if (FORMULA_CHARACTERS.includes(c.charAt(0))) expect(c).toMatch(/^-?(\d+(\.\d+)?|\.\d+)$/);
            }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('neutralises by the OWASP rule and keeps plain numbers numeric', () => {
    expect(csvCell('=1+2')).toBe("'=1+2");
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('-2+3+cmd')).toBe("'-2+3+cmd");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('\rx')).toBe('"\'\rx"');
    expect(csvCell(' =1')).toBe("' =1");
    expect(csvCell('-12.50')).toBe('-12.50');
    expect(csvCell('-3')).toBe('-3');
    expect(csvCell('-.5')).toBe('-.5');
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell('Acme "EMEA", team')).toBe('"Acme ""EMEA"", team"');
    expect(csvRow([''])).toBe('""\n');
    expect(csvRow(['a', '', 'b'])).toBe('a,,b\n');
  });

  it('reports a broken record at its line and column, and reads on', async () => {
    const read = await readAll('a,b\n1,"x"y\n2,3\n4,"open\n');
    expect(read.records).toEqual([
      ['a', 'b'],
      ['2', '3'],
    ]);
    expect(read.problems).toEqual([
      { line: 2, column: 2, message: 'characters after the closing quote of a field; quote the whole field' },
      { line: 4, column: 2, message: 'a quoted field is not closed' },
    ]);
  });

  it('refuses a record with a control character in a field, naming its line and column, and reads on', async () => {
    const read = await readAll('a,b\n1,x\u0000y\n"p\u0007",2\n3,"line\none\ttab"\n4,\u007f\n');
    expect(read.records).toEqual([
      ['a', 'b'],
      ['3', 'line\none\ttab'],
    ]);
    expect(read.problems).toEqual([
      { line: 2, column: 2, message: 'contains a control character (U+0000)' },
      { line: 3, column: 1, message: 'contains a control character (U+0007)' },
      { line: 6, column: 2, message: 'contains a control character (U+007F)' },
    ]);
  });

  it('matches header names case-insensitively and names a duplicated or missing column', () => {
    const read = readCsvHeader(
      ['Partner ID', 'legacy-program', 'extra', 'PARTNER_ID'],
      1,
      ['partner_id', 'legacy_program', 'legacy_tier'],
      ['partner_id', 'legacy_tier'],
    );
    expect(read.index).toEqual({ partner_id: 0, legacy_program: 1 });
    expect(read.ignored).toEqual(['extra']);
    expect(read.problems).toEqual([
      { line: 1, column: 4, message: 'column partner_id appears twice' },
      {
        line: 1,
        column: 5,
        message: 'the header has no legacy_tier column (required: partner_id, legacy_tier)',
      },
    ]);
  });
});
