import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { AGENCY_KINDS, collapse, ValidationError, type AgencyKind } from '@mandate/kernel';
import type { DirectoryRow } from '@mandate/cities-domain';
import type { DirectoryView } from '@mandate/plans-app';

/**
 * A city's directory as offices keep it: a spreadsheet (XLSX, or CSV in UTF-8) with one agency per
 * row under a header row. What the export writes, the import reads back.
 */
const KIND_LABELS: Record<AgencyKind, string> = {
  department: 'Sở, ban, ngành',
  committee: 'UBND, Văn phòng UBND',
  commune: 'UBND xã, phường, đặc khu',
  district: 'Cấp huyện (trước 01/7/2025)',
  ministry: 'Bộ, cơ quan trung ương',
  institute: 'Đơn vị sự nghiệp',
  unit: 'Đơn vị trực thuộc',
  other: 'Khác',
};

const COLUMNS = [
  { key: 'id', header: 'Mã', width: 28, names: ['mã', 'ma', 'id', 'mã cơ quan', 'mã đơn vị'] },
  { key: 'name', header: 'Tên cơ quan, đơn vị', width: 48, names: ['tên cơ quan, đơn vị', 'tên', 'ten', 'name', 'tên cơ quan', 'tên đơn vị'] },
  { key: 'kind', header: 'Loại', width: 26, names: ['loại', 'loai', 'kind'] },
  { key: 'parent', header: 'Trực thuộc (mã)', width: 24, names: ['trực thuộc (mã)', 'trực thuộc', 'cơ quan cấp trên', 'parent', 'parentid'] },
  { key: 'aliases', header: 'Tên khác (cách nhau bởi ;)', width: 48, names: ['tên khác (cách nhau bởi ;)', 'tên khác', 'tên gọi khác', 'aliases'] },
  { key: 'active', header: 'Đang hoạt động', width: 14, names: [] },
  { key: 'successor', header: 'Sáp nhập vào (mã, từ ngày)', width: 30, names: [] },
] as const;

const headerKey = (text: string) => collapse(text).toLocaleLowerCase('vi');

/** A kind by its code or its label; anything else is passed on as written, for the directory to name with its line. */
const kindOf = (text: string): AgencyKind => {
  const value = collapse(text);
  if (!value) return 'other';
  const byCode = AGENCY_KINDS.find((k) => k === value.toLowerCase());
  if (byCode) return byCode;
  const byLabel = (Object.entries(KIND_LABELS) as [AgencyKind, string][]).find(([, label]) => headerKey(label) === headerKey(value));
  return byLabel ? byLabel[0] : (value as AgencyKind);
};

const cellText = (value: ExcelJS.CellValue): string => {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object' && 'richText' in value) return value.richText.map((r) => r.text).join('');
  if (typeof value === 'object' && 'text' in value) return String(value.text);
  if (typeof value === 'object' && 'result' in value) return String(value.result ?? '');
  return String(value);
};

/** XLSX (a zip) or CSV, told by the bytes. */
const isXlsx = (bytes: Buffer) => bytes.length > 4 && bytes[0] === 0x50 && bytes[1] === 0x4b;

/** The rows of a directory file, checked for form (the directory checks the rest). */
export const readDirectoryFile = async (bytes: Buffer): Promise<DirectoryRow[]> => {
  if (bytes.length === 0) throw new ValidationError('Send the directory as the body: an XLSX or CSV file', 'directory-file-empty');
  const workbook = new ExcelJS.Workbook();
  let sheet: ExcelJS.Worksheet | undefined;
  try {
    if (isXlsx(bytes)) {
      await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
      sheet = workbook.worksheets[0];
    } else {
      const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
      sheet = await workbook.csv.read(Readable.from([text]));
    }
  } catch (error) {
    throw new ValidationError(`The file is neither an XLSX workbook nor a UTF-8 CSV: ${(error as Error).message}`, 'directory-file-unreadable');
  }
  if (!sheet) throw new ValidationError('The workbook has no sheet', 'directory-file-empty');
  // The header row: the first row naming the id and name columns (a title may stand above it).
  let headerRow = 0;
  const positions = new Map<string, number>();
  for (let r = 1; r <= Math.min(sheet.rowCount, 10) && headerRow === 0; r++) {
    const row = sheet.getRow(r);
    const found = new Map<string, number>();
    row.eachCell((cell, col) => {
      const column = COLUMNS.find((c) => (c.names as readonly string[]).includes(headerKey(cellText(cell.value))));
      if (column && !found.has(column.key)) found.set(column.key, col);
    });
    if (found.has('id') && found.has('name')) {
      headerRow = r;
      for (const [key, col] of found) positions.set(key, col);
    }
  }
  if (headerRow === 0)
    throw new ValidationError(
      'No header row naming the columns "Mã" and "Tên cơ quan, đơn vị" (or id and name) in the first 10 rows',
      'directory-file-invalid',
    );
  const rows: DirectoryRow[] = [];
  for (let r = headerRow + 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const at = (key: string) => (positions.has(key) ? collapse(cellText(row.getCell(positions.get(key)!).value)) : '');
    const [agencyId, name] = [at('id'), at('name')];
    if (!agencyId && !name) continue; // a blank line
    rows.push({
      line: r,
      agencyId,
      name,
      kind: kindOf(at('kind')),
      parentId: at('parent') || null,
      aliases: at('aliases')
        .split(/[;\n]/)
        .map((a) => collapse(a))
        .filter(Boolean),
    });
  }
  return rows;
};

/** The directory as a file the import reads back (XLSX with a title, or CSV with a BOM for Excel). */
export const writeDirectoryFile = async (view: DirectoryView, cityName: string, format: 'xlsx' | 'csv'): Promise<Buffer> => {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Mandate';
  const sheet = workbook.addWorksheet('Danh bạ cơ quan');
  if (format === 'xlsx') {
    sheet.addRow([`Danh bạ cơ quan, đơn vị - ${cityName}`]).font = { bold: true };
  }
  const header = sheet.addRow(COLUMNS.map((c) => c.header));
  header.font = { bold: true };
  COLUMNS.forEach((c, i) => (sheet.getColumn(i + 1).width = c.width));
  for (const a of view.agencies) {
    sheet.addRow([
      a.agencyId,
      a.name,
      KIND_LABELS[a.kind] ?? a.kind,
      a.parentId ?? '',
      a.aliases.join('; '),
      a.active ? 'Có' : 'Không',
      a.successor ? `${a.successor.agencyId}, ${a.successor.effectiveOn}` : '',
    ]);
  }
  if (format === 'csv') return Buffer.concat([Buffer.from('\uFEFF'), Buffer.from((await workbook.csv.writeBuffer()) as ArrayBuffer)]);
  return Buffer.from((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
};
