import ExcelJS from 'exceljs';
import { directoryDecider, type DirectoryEvent } from '@mandate/cities-domain';
import { fold } from '@mandate/kernel';
import { readDirectoryFile, writeDirectoryFile } from './directory-file';

const audit = { actorId: 'vp', role: 'office' as const, agencyId: null, cityId: 'quang-ninh' };
const added = (agencyId: string, name: string, kind: 'department' | 'unit' | 'commune', parentId: string | null, aliases: string[] = []): DirectoryEvent => ({
  type: 'AgencyAdded',
  data: { cityId: 'quang-ninh', agency: { agencyId, name, kind, parentId, aliases }, addedAt: '2025-07-01T00:00:00.000Z' },
  metadata: audit,
});
const view = {
  ...fold(directoryDecider, [
    added('so-tai-chinh', 'Sở Tài chính', 'department', null, ['STC', 'Sở TC']),
    added('phong-ngan-sach', 'Phòng Ngân sách, Sở Tài chính', 'unit', 'so-tai-chinh'),
    added('ubnd-phuong-ha-long', 'UBND phường Hạ Long', 'commune', null),
  ]),
  cityId: 'quang-ninh',
  version: 3n,
};

describe('the directory file offices keep (XLSX, CSV)', () => {
  it.each(['xlsx', 'csv'] as const)('reads back what it writes (%s): ids, names with commas, kinds by label, parents, aliases', async (format) => {
    const rows = await readDirectoryFile(await writeDirectoryFile(view, 'Tỉnh Quảng Ninh', format));
    expect(rows.map(({ line: _line, ...row }) => row)).toEqual([
      { agencyId: 'so-tai-chinh', name: 'Sở Tài chính', kind: 'department', parentId: null, aliases: ['STC', 'Sở TC'] },
      { agencyId: 'phong-ngan-sach', name: 'Phòng Ngân sách, Sở Tài chính', kind: 'unit', parentId: 'so-tai-chinh', aliases: [] },
      { agencyId: 'ubnd-phuong-ha-long', name: 'UBND phường Hạ Long', kind: 'commune', parentId: null, aliases: [] },
    ]);
  });

  it('finds the header under a title, in any column order, skips blank lines and numbers rows as the sheet does', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('DS');
    sheet.addRow(['UBND TỈNH QUẢNG NINH']);
    sheet.addRow([]);
    sheet.addRow(['Loại', 'Tên', 'Mã', 'Tên khác']);
    sheet.addRow(['Sở, ban, ngành', '  Sở  Nội vụ ', 'so-noi-vu', 'SNV;\nSở NV']);
    sheet.addRow([]);
    sheet.addRow([null, 'Sở Y tế', 'so-y-te', null]);
    const rows = await readDirectoryFile(Buffer.from((await book.xlsx.writeBuffer()) as ArrayBuffer));
    expect(rows).toEqual([
      { line: 4, agencyId: 'so-noi-vu', name: 'Sở Nội vụ', kind: 'department', parentId: null, aliases: ['SNV', 'Sở NV'] },
      { line: 6, agencyId: 'so-y-te', name: 'Sở Y tế', kind: 'other', parentId: null, aliases: [] },
    ]);
  });

  it('passes an unknown kind on as written, for the directory to name with its line', async () => {
    const [row] = await readDirectoryFile(Buffer.from('Mã,Tên,Loại\nbv-bai-chay,Bệnh viện Bãi Cháy,bệnh viện\n'));
    expect(row.kind).toBe('bệnh viện');
  });

  it('refuses what is no directory: empty, not UTF-8, no header naming id and name', async () => {
    await expect(readDirectoryFile(Buffer.alloc(0))).rejects.toMatchObject({ code: 'directory-file-empty' });
    await expect(readDirectoryFile(Buffer.from([0x4d, 0xe3, 0x2c, 0xff]))).rejects.toMatchObject({ code: 'directory-file-unreadable' });
    await expect(readDirectoryFile(Buffer.from('Tên,Loại\nSở Y tế,department\n'))).rejects.toMatchObject({ code: 'directory-file-invalid' });
  });
});
