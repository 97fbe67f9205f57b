/**
 * CSV for the merchant API's exports (RFC 4180): every cell quoted when it holds a comma, a quote or a line
 * break, and — because an export is opened in a spreadsheet — a cell that starts with `=`, `+`, `-`, `@`, a
 * tab or a carriage return is prefixed with `'` so that Excel, LibreOffice and Google Sheets show it as text
 * instead of running it as a formula (OWASP's "CSV injection"). Numbers are written by us as plain numbers
 * (`toMajorString`), so the prefix never touches an amount; a negative amount never occurs.
 *
 * Hand-written rather than papaparse's `unparse`: papaparse's `escapeFormulae` also quotes the cell, but the
 * rows are streamed one page at a time, and these few lines are the whole of what is needed.
 */
export type Cell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly Cell[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** Headers for a CSV download; the name is ASCII-only by construction. */
export function csvHeaders(fileName: string): Record<string, string> {
  return {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${fileName.replace(/[^\w.-]/g, '_')}"`,
    'cache-control': 'no-store',
  };
}
