/**
 * labels.csv of a data folder: `file,label[,speaker]` per line, RFC 4180 quoting (`"a, b.wav"`, `""` for a quote
 * inside quotes), comma-separated, LF or CRLF, an optional UTF-8 BOM. Unquoted fields are trimmed; blank lines are
 * skipped. The first row is a header when its first field does not end in `.wav` (e.g. `file,label,speaker`): a
 * data row names a WAV file, and a header never does.
 */
import { FormatError } from '../errors.ts';

/** One data row, with the 1-based line it starts on (the header, if any, is line 1). */
export interface LabelsRow {
  readonly line: number;
  readonly file: string;
  readonly label: string;
  readonly speaker: string | undefined;
}

/** A record and the line it starts on. */
interface CsvRecord {
  readonly line: number;
  readonly fields: string[];
}

/**
 * Parses labels.csv text into data rows, header dropped.
 * @throws FormatError naming `path` and the line: unterminated quote, stray quote, or a row without 2 or 3 fields
 */
export function parseLabelsCsv(text: string, path: string): LabelsRow[] {
  const records = parseCsvRecords(text.replace(/^\uFEFF/, ''), path);
  const dataRecords = records.length > 0 && !records[0]!.fields[0]!.toLowerCase().endsWith('.wav') ? records.slice(1) : records;
  return dataRecords.map(({ line, fields }) => {
    if (fields.length < 2 || fields.length > 3) {
      throw new FormatError(`line ${line}: ${fields.length} field${fields.length === 1 ? '' : 's'}; expected file,label[,speaker]`, { file: path });
    }
    const [file, label, speaker] = fields as [string, string, string | undefined];
    if (file === '' || label.trim() === '') {
      // A blank label (`" "` quoted) would train a class no one can name, and a model classify refuses.
      throw new FormatError(`line ${line}: empty ${file === '' ? 'file' : 'label'} field; expected file,label[,speaker]`, { file: path });
    }
    return { line, file, label, speaker: speaker === '' ? undefined : speaker };
  });
}

/** Splits CSV text into records (blank lines dropped), tracking the line each record starts on. */
function parseCsvRecords(text: string, path: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false; // the current field opened with a quote
  let inQuotes = false; // between its opening and closing quote
  let line = 1;
  let recordLine = 1;
  const endField = (): void => {
    fields.push(quoted ? field : field.trim());
    field = '';
    quoted = false;
  };
  const endRecord = (): void => {
    endField();
    if (fields.length > 1 || fields[0] !== '' || quoted) records.push({ line: recordLine, fields });
    fields = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inQuotes) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        inQuotes = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === ',') {
      endField();
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else if (c === '"' && field.trim() === '' && !quoted) {
      quoted = true;
      inQuotes = true;
      field = '';
    } else if (quoted) {
      if (c !== ' ' && c !== '\t') throw new FormatError(`line ${line}: '${c}' after a closing quote; expected a comma or the end of the line`, { file: path });
    } else if (c === '"') {
      throw new FormatError(`line ${line}: quote inside an unquoted field; quote the whole field and double inner quotes ("")`, { file: path });
    } else {
      field += c;
    }
  }
  if (inQuotes) throw new FormatError(`line ${recordLine}: quoted field not closed before the end of the file`, { file: path });
  endRecord();
  return records;
}
