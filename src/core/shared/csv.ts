/**
 * The one CSV writer (docs/csv-formats.md, "Files Trellis writes"): every CSV Trellis produces (statement
 * downloads, import rejects files, CLI output) is written cell by cell through `csvCell`, row by row
 * through `csvRow`, so every export quotes and neutralises the same way.
 *
 * Quoting (RFC 4180, read back exactly by `csvBatches`): a cell holding a comma, a double quote, a line
 * break, or beginning or ending with whitespace (which the reader would trim) or a byte-order mark is
 * written in double quotes, each quote inside doubled.
 *
 * Neutralisation (spreadsheet formula injection, OWASP "CSV Injection"): a cell whose first character is
 * `=`, `+`, `-`, `@`, a tab or a carriage return, or whose first character after leading whitespace is one
 * of `=`, `+`, `-`, `@`, is written with a single quote (`'`) in front, so a spreadsheet shows it as text
 * and never runs it. A cell that is a plain decimal number (`-12.50`, `-3`, `0.5`: digits, at most one
 * point, an optional leading minus) is not a formula in any spreadsheet and is written as it is, so
 * negative amounts and return quantities stay numbers.
 */

/** Characters that make a spreadsheet read a cell as a formula when they open it. */
const FORMULA_START = /^(?:[\t\r]|\s*[=+\-@])/;
/** A plain decimal number: safe as it is (no spreadsheet reads it as anything but a number). */
const PLAIN_NUMBER = /^-?(?:\d+(?:\.\d+)?|\.\d+)$/;
/** Cells that must be quoted to be read back as written. */
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$|^\uFEFF/;

/** True when a spreadsheet could read `value` as a formula (the neutralisation rule above). */
export function isFormulaLike(value: string): boolean {
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value);
}

/** The cell as a spreadsheet should see it: `value`, or `'` + `value` when it could be a formula. */
export function neutraliseCell(value: string): string {
  return isFormulaLike(value) ? `'${value}` : value;
}

/** One cell, neutralised and quoted as needed. */
export function csvCell(value: string): string {
  const v = neutraliseCell(value);
  return NEEDS_QUOTES.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** One row: cells joined by commas, ended by `\n`. A row of one empty cell is written `""` (not blank). */
export function csvRow(values: readonly string[]): string {
  if (values.length === 1 && values[0] === '') return '""\n';
  let out = '';
  for (let i = 0; i < values.length; i++) out += (i === 0 ? '' : ',') + csvCell(values[i] as string);
  return `${out}\n`;
}
