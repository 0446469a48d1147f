import ExcelJS from 'exceljs';
import { cellText, columnWidth } from './layout';
import type { ReportDocument, ReportTable } from './report-document';

const THIN: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9D9D9' } };
/** Excel's limit on sheet names (exceljs would otherwise truncate with a console warning). */
const MAX_SHEET_NAME = 31;

/** One worksheet per table, each repeating the document heading so a sheet prints on its own. */
export async function renderXlsx(doc: ReportDocument): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Mandate';
  const taken = new Set<string>();
  for (const table of doc.tables) {
    const name = uniqueSheetName(table.title || doc.name, taken);
    writeSheet(workbook.addWorksheet(name), doc.heading, table);
  }
  // exceljs types its result as its own Buffer interface; at runtime it is a Node Buffer.
  return Buffer.from((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
}

function writeSheet(sheet: ExcelJS.Worksheet, heading: readonly string[], table: ReportTable): void {
  const width = Math.max(table.columns.length, 1);
  table.columns.forEach((column, i) => (sheet.getColumn(i + 1).width = columnWidth(column)));
  const mergeRow = (row: number) => {
    if (width > 1) sheet.mergeCells(row, 1, row, width);
  };

  let row = 1;
  for (const line of heading) {
    const cell = sheet.getCell(row, 1);
    cell.value = line;
    cell.font = { bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle' };
    mergeRow(row++);
  }
  if (heading.length > 0) row++; // blank row between the heading and the table

  const title = sheet.getCell(row++, 1);
  title.value = table.title;
  title.font = { bold: true };

  const headerRow = row++;
  table.columns.forEach((column, i) => {
    const cell = sheet.getCell(headerRow, i + 1);
    cell.value = column.header;
    cell.font = { bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = THIN;
    cell.fill = HEADER_FILL;
  });

  for (const item of table.rows) {
    if (item.kind === 'group') {
      // Borders go on every cell of the span: Excel draws a merged range's edges from its parts.
      for (let c = 1; c <= width; c++) sheet.getCell(row, c).border = THIN;
      const cell = sheet.getCell(row, 1);
      cell.value = item.label;
      cell.font = { bold: true };
      cell.alignment = { vertical: 'top', wrapText: true };
      mergeRow(row);
    } else {
      table.columns.forEach((column, i) => {
        const value = item.cells[column.key];
        const cell = sheet.getCell(row, i + 1);
        // Numbers stay numeric so offices can sum them; strings are never parsed as formulas by exceljs.
        cell.value = typeof value === 'number' ? value : cellText(value) || null;
        cell.alignment = { vertical: 'top', wrapText: true };
        cell.border = THIN;
      });
    }
    row++;
  }

  sheet.views = [{ state: 'frozen', xSplit: 0, ySplit: headerRow }];
  // Appendices are wide: print landscape, one page wide, header row repeated on every page.
  sheet.pageSetup = {
    paperSize: 9,
    orientation: 'landscape',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    printTitlesRow: `${headerRow}:${headerRow}`,
  };
}

/** Excel's rules: at most 31 characters, none of []:*?/\, no leading/trailing apostrophe, unique ignoring case. */
function uniqueSheetName(title: string, taken: Set<string>): string {
  const tidy = (text: string) =>
    text
      .trim()
      .replace(/^'+|'+$/g, '')
      .trim();
  const base = tidy(clip(tidy(title.replace(/[[\]:*?/\\]/g, '')), MAX_SHEET_NAME)) || 'Sheet';
  let name = base;
  for (let n = 2; taken.has(name.toLowerCase()) || name.toLowerCase() === 'history'; n++) {
    const suffix = ` (${n})`;
    name = clip(base, MAX_SHEET_NAME - suffix.length) + suffix;
  }
  taken.add(name.toLowerCase());
  return name;
}

/** Cuts to `max` UTF-16 units without splitting a surrogate pair. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}
