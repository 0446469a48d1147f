import { cellText } from './layout';
import type { ReportTable } from './report-document';

/** Excel only reads a CSV as UTF-8 (rather than the ANSI code page) when it starts with a BOM. */
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const CRLF = '\r\n';

/** One table as RFC 4180 CSV: header line, then rows; a group row is its label in the first column. */
export function renderCsv(table: ReportTable): Buffer {
  const width = table.columns.length;
  const records: string[][] = [table.columns.map((column) => column.header)];
  for (const row of table.rows) {
    records.push(
      row.kind === 'group' ? [row.label, ...Array<string>(Math.max(width - 1, 0)).fill('')] : table.columns.map((column) => cellText(row.cells[column.key])),
    );
  }
  const text = records.map((fields) => fields.map(quote).join(',') + CRLF).join('');
  return Buffer.concat([BOM, Buffer.from(text, 'utf8')]);
}

function quote(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}
