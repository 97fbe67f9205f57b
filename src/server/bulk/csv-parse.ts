/**
 * Reads an uploaded CSV (papaparse) into records with the line each starts on, or refuses the whole file
 * with a 4xx that says why: not UTF-8 text, unbalanced quotes, a row with more or fewer cells than the
 * header, an unknown or missing column, a repeated column, no rows, too many rows. Nothing is done with a
 * file that fails here.
 */
import Papa from 'papaparse';
import { ApiError } from '../errors.ts';

export const MAX_ROWS = 10_000;

export interface CsvRecord {
  /** 1-based line of the file the record starts on (the header is line 1). */
  line: number;
  cells: Record<string, string>;
}

export interface ColumnSpec {
  required: readonly string[];
  optional: readonly string[];
}

const bad = (message: string, field = 'file') => new ApiError(400, 'csv_invalid', message, field);

export function parseCsv(text: string, columns: ColumnSpec): CsvRecord[] {
  if (text.includes('\uFFFD')) throw bad('The file is not UTF-8 text (save it as "CSV UTF-8")');
  // eslint-disable-next-line no-control-regex -- NUL is what it refuses
  if (/\u0000/.test(text)) throw bad('The file contains NUL characters; it is not a CSV text file');
  const source = text.replace(/^\uFEFF/, '');
  const rows: { cells: string[]; line: number }[] = [];
  const problems: string[] = [];
  let offset = 0;
  let line = 1;
  const lineAt = (to: number) => {
    for (; offset < to; offset++) if (source.charCodeAt(offset) === 10) line++;
    return line;
  };
  // The cursor is where a record ends — on its line break or just past it (papaparse differs for the first
  // record): the next record starts past that one break.
  const startAfter = (end: number) =>
    source.startsWith('\r\n', end) ? end + 2 : source[end] === '\n' || source[end] === '\r' ? end + 1 : end;
  let prevEnd: number | null = null;
  let tooMany = false;
  Papa.parse<string[]>(source, {
    delimiter: ',',
    skipEmptyLines: false,
    step: (r, parser) => {
      const at = prevEnd === null ? 1 : lineAt(startAfter(prevEnd));
      for (const e of r.errors) problems.push(`line ${at}: ${e.message}`);
      rows.push({ cells: r.data, line: at });
      prevEnd = r.meta.cursor;
      if (rows.length > MAX_ROWS + 1) {
        tooMany = true;
        parser.abort();
      }
    },
  });
  if (tooMany) throw bad(`The file has more than ${MAX_ROWS} rows; split it`);
  if (problems.length > 0) throw bad(`The CSV is malformed: ${problems.slice(0, 3).join('; ')}`);
  const nonEmpty = rows.filter((r) => !(r.cells.length === 1 && r.cells[0]?.trim() === ''));
  const [header, ...body] = nonEmpty;
  if (!header) throw bad('The file is empty; the first line must name the columns');
  const names = header.cells.map((h) => h.trim().toLowerCase());
  const known = new Set([...columns.required, ...columns.optional]);
  const seen = new Set<string>();
  for (const name of names) {
    if (!known.has(name))
      throw bad(
        `Unknown column "${name}"; the columns are ${[...columns.required, ...columns.optional].join(', ')}`,
        name || 'file',
      );
    if (seen.has(name)) throw bad(`The column "${name}" appears twice`, name);
    seen.add(name);
  }
  const missing = columns.required.filter((c) => !seen.has(c));
  if (missing.length > 0)
    throw bad(`Missing column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`, missing[0]);
  if (body.length === 0) throw bad('The file has a header but no rows');
  return body.map((r) => {
    if (r.cells.length !== names.length)
      throw bad(`line ${r.line}: ${r.cells.length} cells where the header has ${names.length}`);
    const cells: Record<string, string> = {};
    names.forEach((n, i) => (cells[n] = (r.cells[i] ?? '').trim()));
    return { line: r.line, cells };
  });
}
