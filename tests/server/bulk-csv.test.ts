/** The bulk file reader: line numbers as a spreadsheet shows them, and whole-file refusals with the reason. */
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/server/bulk/csv-parse.ts';
import { refuseDuplicates } from '../../src/server/bulk/rows.ts';

const spec = { required: ['a', 'b'], optional: ['reference'] };
const lines = (text: string) => parseCsv(text, spec).map((r) => [r.line, r.cells.a, r.cells.b]);

describe('parseCsv', () => {
  it('numbers records by the line they start on, across quoted line breaks, blank lines and CRLF', () => {
    expect(lines('a,b\n1,"x\ny"\n\n3,4\n')).toEqual([
      [2, '1', 'x\ny'],
      [5, '3', '4'],
    ]);
    expect(lines('a,b\r\n1,"x\r\ny"\r\n\r\n3,4')).toEqual([
      [2, '1', 'x\r\ny'],
      [5, '3', '4'],
    ]);
    expect(lines('\uFEFFA , B\n" 1 ",2\n')).toEqual([[2, '1', '2']]);
  });

  it('refuses the whole file with the reason', () => {
    const refused = (text: string) => {
      try {
        parseCsv(text, spec);
        return 'accepted';
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(refused('a,b\n1,"x\n')).toBe('The CSV is malformed: line 2: Quoted field unterminated');
    expect(refused('a,c\n1,2')).toMatch(/^Unknown column "c"/);
    expect(refused('a,b,a\n1,2,3')).toBe('The column "a" appears twice');
    expect(refused('a\n1')).toBe('Missing column: b');
    expect(refused('a,b\n1,2,3')).toBe('line 2: 3 cells where the header has 2');
    expect(refused('')).toMatch(/empty/);
    expect(refused('a,b\n')).toBe('The file has a header but no rows');
    expect(refused('a,b\n1,\u0000')).toMatch(/NUL/);
    expect(refused(`a,b\n${'1,2\n'.repeat(10_001)}`)).toMatch(/more than 10000 rows/);
  });

  it('a repeated row, or a repeated reference, refuses the file', () => {
    const dup = (text: string) => {
      try {
        refuseDuplicates(parseCsv(text, spec));
        return 'accepted';
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(dup('a,b\n1,2\n3,4\n1,2\n')).toMatch(/^line 4 repeats line 2/);
    expect(dup('a,b\nx, 2\nX,2\n'), 'case and padding aside').toMatch(/^line 3 repeats line 2/);
    expect(dup('a,b,reference\n1,2,r1\n1,2,r2\n')).toBe('accepted');
    expect(dup('a,b,reference\n1,2,r1\n3,4,r1\n')).toBe('line 3: the reference "r1" is already on line 2');
  });
});
