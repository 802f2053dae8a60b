/**
 * Reads a roster file: CSV (RFC 4180: quoted fields, doubled quotes, CRLF or LF) with a header
 * row naming the columns `name`, `email`, `phone` and `sms_opt_in` (any order; the last two
 * optional). Hand-written because the format is this small; a CSV package would add a
 * dependency for one function.
 */
import type { RawStudent } from './student-input.js';

/** One data row, with its line number in the file for error messages. */
export interface RosterRow {
  readonly line: number;
  readonly raw: RawStudent;
}

/** The rows, or a problem with the file as a whole. */
export interface ParsedRoster {
  readonly rows: RosterRow[];
  readonly problem?: string;
}

const YES = new Set(['yes', 'y', 'true', '1', 'x']);
const NO = new Set(['', 'no', 'n', 'false', '0']);

/** Parses roster text. */
export function parseRosterCsv(text: string): ParsedRoster {
  const records = parseCsv(text.replace(/^\uFEFF/, ''));
  const header = records.shift();
  if (!header) return { rows: [], problem: 'the file is empty' };

  const columns = header.cells.map((cell) =>
    cell
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_'),
  );
  const at = (name: string) => columns.indexOf(name);
  if (at('name') < 0 || at('email') < 0) {
    return { rows: [], problem: 'the first line must name the columns name and email' };
  }

  const rows = records
    .filter((record) => record.cells.some((cell) => cell.trim() !== ''))
    .map((record) => ({ line: record.line, raw: toRaw(record.cells, at) }));
  return { rows };
}

function toRaw(cells: string[], at: (name: string) => number): RawStudent {
  const cell = (name: string) => (at(name) >= 0 ? (cells[at(name)] ?? '').trim() : '');
  const consent = cell('sms_opt_in').toLowerCase();
  return {
    name: cell('name'),
    email: cell('email'),
    phone: cell('phone'),
    smsOptIn: YES.has(consent) ? true : NO.has(consent) ? false : consent,
  };
}

interface CsvRecord {
  readonly line: number;
  readonly cells: string[];
}

/** Splits CSV text into records of cells. */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;

  for (let i = 0; i < text.length; i += 1) {
    const char = text[i] as string;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else {
        if (char === '\n') line += 1;
        cell += char;
      }
      continue;
    }
    if (char === '"' && cell === '') quoted = true;
    else if (char === ',') {
      cells.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i += 1;
      records.push({ line: recordLine, cells: [...cells, cell] });
      cells = [];
      cell = '';
      line += 1;
      recordLine = line;
    } else cell += char;
  }

  if (cell !== '' || cells.length > 0) records.push({ line: recordLine, cells: [...cells, cell] });
  return records;
}
