import { inflateSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { renderCsv, renderDocx, renderPdf, renderXlsx, type ReportDocument, type ReportTable } from '@mandate/documents';

// ---- Sample: a Vietnamese plan appendix (Phụ lục) and a summary by lead agency -------------------

const HEADING = [
  'ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI',
  'BÁO CÁO TÌNH HÌNH THỰC HIỆN KẾ HOẠCH SỐ 183/KH-UBND',
  'Kỳ báo cáo: Quý I/2024 (từ 15/12/2023 đến 14/03/2024)',
];

const APPENDIX: ReportTable = {
  title: 'Phụ lục',
  columns: [
    { key: 'tt', header: 'TT', width: 5 },
    { key: 'task', header: 'Nhiệm vụ', width: 40 },
    { key: 'lead', header: 'Cơ quan chủ trì', width: 20 },
    { key: 'partners', header: 'Cơ quan phối hợp', width: 20 },
    { key: 'product', header: 'Sản phẩm' }, // no width: the default applies
    { key: 'deadline', header: 'Thời hạn', width: 12 },
    { key: 'status', header: 'Tình hình thực hiện', width: 40 },
  ],
  // Keys deliberately out of column order: renderers must follow the columns, not the object.
  rows: [
    { kind: 'group', label: 'I. Nhóm nhiệm vụ về thể chế' },
    {
      kind: 'row',
      cells: {
        status: 'Đang thực hiện',
        tt: 1,
        task: 'Xây dựng Nghị quyết của HĐND Thành phố quy định mức thu phí, lệ phí',
        deadline: 'Quý II/2024',
        lead: 'Sở Tài chính',
        partners: 'Sở Tư pháp, các sở, ngành liên quan',
        product: 'Nghị quyết của HĐND Thành phố',
      },
    },
    {
      kind: 'row',
      cells: {
        product: 'Báo cáo rà soát',
        tt: 2,
        lead: 'Sở Tư pháp',
        task: 'Rà soát văn bản quy phạm pháp luật "hết hiệu lực"',
        partners: null,
        status: 'Đã hoàn thành:\nBáo cáo số 45/BC-STP ngày 10/03/2024',
        deadline: '31/03/2024',
      },
    },
    { kind: 'group', label: 'II. Nhóm nhiệm vụ về chuyển đổi số' },
    {
      kind: 'row',
      cells: {
        deadline: 'Thường xuyên',
        status: 'Đạt 85%, "vượt" kế hoạch',
        tt: 3,
        task: 'Triển khai Đề án 06 về ứng dụng dữ liệu dân cư',
        lead: 'Công an Thành phố',
        partners: 'Sở Thông tin và Truyền thông',
        product: 'Báo cáo kết quả',
      },
    },
  ],
};

const BY_AGENCY: ReportTable = {
  title: 'Theo cơ quan chủ trì',
  columns: [
    { key: 'agency', header: 'Cơ quan chủ trì', width: 30 },
    { key: 'total', header: 'Tổng số', width: 10 },
    { key: 'done', header: 'Đã hoàn thành', width: 12 },
    { key: 'overdue', header: 'Quá hạn', width: 10 },
  ],
  rows: [
    { kind: 'row', cells: { agency: 'Sở Tài chính', total: 12, done: 7, overdue: 0 } },
    { kind: 'row', cells: { agency: 'Sở Tư pháp', total: 1234567, done: 3.5, overdue: 2 } },
  ],
};

const DOC: ReportDocument = { name: 'bao-cao-183', heading: HEADING, tables: [APPENDIX, BY_AGENCY] };

// Expected grids written out by hand (not derived from the model), in column order.
// A one-element { group } entry is a group row.
type Expected = { group: string } | readonly (string | number | null)[];
const APPENDIX_HEADER = ['TT', 'Nhiệm vụ', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Sản phẩm', 'Thời hạn', 'Tình hình thực hiện'];
const APPENDIX_ROWS: Expected[] = [
  { group: 'I. Nhóm nhiệm vụ về thể chế' },
  [
    1,
    'Xây dựng Nghị quyết của HĐND Thành phố quy định mức thu phí, lệ phí',
    'Sở Tài chính',
    'Sở Tư pháp, các sở, ngành liên quan',
    'Nghị quyết của HĐND Thành phố',
    'Quý II/2024',
    'Đang thực hiện',
  ],
  [
    2,
    'Rà soát văn bản quy phạm pháp luật "hết hiệu lực"',
    'Sở Tư pháp',
    null,
    'Báo cáo rà soát',
    '31/03/2024',
    'Đã hoàn thành:\nBáo cáo số 45/BC-STP ngày 10/03/2024',
  ],
  { group: 'II. Nhóm nhiệm vụ về chuyển đổi số' },
  [
    3,
    'Triển khai Đề án 06 về ứng dụng dữ liệu dân cư',
    'Công an Thành phố',
    'Sở Thông tin và Truyền thông',
    'Báo cáo kết quả',
    'Thường xuyên',
    'Đạt 85%, "vượt" kế hoạch',
  ],
];
const BY_AGENCY_HEADER = ['Cơ quan chủ trì', 'Tổng số', 'Đã hoàn thành', 'Quá hạn'];
const BY_AGENCY_ROWS: Expected[] = [
  ['Sở Tài chính', 12, 7, 0],
  ['Sở Tư pháp', 1234567, 3.5, 2],
];

const isGroup = (row: Expected): row is { group: string } => !Array.isArray(row);
/** How text-only formats (DOCX, CSV) show a row: numbers as plain digits, null as empty. */
const asText = (row: readonly (string | number | null)[]) => row.map((v) => (v === null ? '' : String(v)));

function manyRows(count: number): ReportDocument {
  const rows = Array.from({ length: count }, (_, i) => ({
    kind: 'row' as const,
    cells: { tt: i + 1, task: `Nhiệm vụ số ${i + 1}: rà soát, cập nhật cơ sở dữ liệu`, lead: 'Sở Nội vụ' },
  }));
  return {
    name: 'many',
    heading: HEADING,
    tables: [{ title: 'Phụ lục', columns: APPENDIX.columns.slice(0, 3), rows }],
  };
}

// ---- XLSX ---------------------------------------------------------------------------------------

/** Reads a rendered workbook back; exceljs's typings want an ArrayBuffer rather than a Node Buffer. */
async function loadXlsx(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(new Uint8Array(buffer).buffer);
  return workbook;
}

describe('renderXlsx', () => {
  let workbook: ExcelJS.Workbook;

  beforeAll(async () => {
    workbook = await loadXlsx(await renderXlsx(DOC));
  });

  const headerRowOf = (sheet: ExcelJS.Worksheet, first: string) => {
    for (let r = 1; r <= sheet.rowCount; r++) if (sheet.getCell(r, 1).value === first) return r;
    throw new Error(`no header row starting with ${first}`);
  };

  it('writes one sheet per table, named after its title, with creator Mandate', () => {
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Phụ lục', 'Theo cơ quan chủ trì']);
    expect(workbook.creator).toBe('Mandate');
  });

  it('puts the heading lines on top, bold and merged across all columns, then a blank row and the title', () => {
    const sheet = workbook.getWorksheet('Phụ lục')!;
    HEADING.forEach((line, i) => {
      const r = i + 1;
      expect(sheet.getCell(r, 1).value).toBe(line);
      expect(sheet.getCell(r, 1).font?.bold).toBe(true);
      expect(sheet.getCell(r, 1).alignment?.horizontal).toBe('center');
      expect(sheet.getCell(r, 7).isMerged).toBe(true);
      expect(sheet.getCell(r, 7).master.address).toBe(`A${r}`);
    });
    expect(sheet.getRow(4).cellCount).toBe(0);
    expect(sheet.getCell(5, 1).value).toBe('Phụ lục');
    expect(sheet.getCell(5, 1).font?.bold).toBe(true);
    expect(headerRowOf(sheet, 'TT')).toBe(6);
  });

  it('writes a bold, bordered, filled header row and freezes the panes below it', () => {
    const sheet = workbook.getWorksheet('Phụ lục')!;
    const h = headerRowOf(sheet, 'TT');
    APPENDIX_HEADER.forEach((header, i) => {
      const cell = sheet.getCell(h, i + 1);
      expect(cell.value).toBe(header);
      expect(cell.font?.bold).toBe(true);
      expect(cell.alignment).toMatchObject({ horizontal: 'center', wrapText: true });
      expect(cell.border?.top?.style).toBe('thin');
      expect(cell.border?.right?.style).toBe('thin');
      expect(cell.fill).toMatchObject({ type: 'pattern', pattern: 'solid' });
    });
    expect(sheet.getCell(h, APPENDIX_HEADER.length + 1).value).toBeNull();
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: h });
  });

  it('writes every data cell in column order, group rows merged across all columns', () => {
    const sheet = workbook.getWorksheet('Phụ lục')!;
    const h = headerRowOf(sheet, 'TT');
    APPENDIX_ROWS.forEach((expected, i) => {
      const r = h + 1 + i;
      if (isGroup(expected)) {
        expect(sheet.getCell(r, 1).value).toBe(expected.group);
        expect(sheet.getCell(r, 1).font?.bold).toBe(true);
        for (let c = 2; c <= APPENDIX_HEADER.length; c++) {
          expect(sheet.getCell(r, c).isMerged).toBe(true);
          expect(sheet.getCell(r, c).master.address).toBe(`A${r}`);
        }
      } else {
        expected.forEach((value, c) => {
          const cell = sheet.getCell(r, c + 1);
          expect(cell.value).toStrictEqual(value);
          expect(cell.isMerged).toBe(false);
          expect(cell.alignment).toMatchObject({ vertical: 'top', wrapText: true });
          expect(cell.border?.bottom?.style).toBe('thin');
        });
      }
    });
    expect(sheet.rowCount).toBe(h + APPENDIX_ROWS.length);
  });

  it('keeps numbers numeric and takes column widths from the model (default 15)', () => {
    const sheet = workbook.getWorksheet('Theo cơ quan chủ trì')!;
    const h = headerRowOf(sheet, 'Cơ quan chủ trì');
    expect(BY_AGENCY_HEADER.map((_, c) => sheet.getCell(h, c + 1).value)).toEqual(BY_AGENCY_HEADER);
    BY_AGENCY_ROWS.forEach((expected, i) => {
      (expected as readonly unknown[]).forEach((value, c) => {
        expect(sheet.getCell(h + 1 + i, c + 1).value).toStrictEqual(value);
      });
    });
    expect(typeof sheet.getCell(h + 2, 2).value).toBe('number');

    const appendix = workbook.getWorksheet('Phụ lục')!;
    expect([1, 2, 5, 7].map((c) => appendix.getColumn(c).width)).toEqual([5, 40, 15, 40]);
  });

  it('makes sheet names legal for Excel: no []:*?/\\, at most 31 characters, unique', async () => {
    const table = (title: string): ReportTable => ({ title, columns: [{ key: 'a', header: 'A' }], rows: [] });
    const long = 'Báo cáo tổng hợp kết quả thực hiện nhiệm vụ năm 2024';
    const loaded = await loadXlsx(
      await renderXlsx({
        name: 'x',
        heading: [],
        tables: [table('Q1/2024: [KH]*?\\'), table(long), table(long), table('phụ lục'), table('Phụ lục')],
      }),
    );
    const names = loaded.worksheets.map((s) => s.name);
    expect(names[0]).toBe('Q12024 KH');
    expect(names[1]).toBe(long.slice(0, 31).trim());
    expect(names[2]).toMatch(/ \(2\)$/);
    expect(names[4]).toBe('Phụ lục (2)');
    for (const name of names) expect(name.length).toBeLessThanOrEqual(31);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
  });
});

// ---- DOCX ---------------------------------------------------------------------------------------

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescapeXml = (text: string) => text.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => XML_ENTITIES[name]);

/** Text of a WordprocessingML fragment: w:t runs joined, w:br as a newline, paragraphs on their own lines. */
function wordText(xml: string): string {
  const paragraphs = xml.match(/<w:p[ >][\s\S]*?<\/w:p>/g) ?? [];
  return paragraphs
    .map((p) => [...p.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>|<w:br\s*\/>/g)].map((m) => (m[1] === undefined ? '\n' : unescapeXml(m[1]))).join(''))
    .join('\n');
}

type WordCell = { text: string; span: number; bold: boolean };
type WordRow = { cells: WordCell[]; repeatedHeader: boolean };

function wordTables(xml: string): WordRow[][] {
  return (xml.match(/<w:tbl>[\s\S]*?<\/w:tbl>/g) ?? []).map((table) =>
    (table.match(/<w:tr[ >][\s\S]*?<\/w:tr>/g) ?? []).map((row) => ({
      repeatedHeader: /<w:tblHeader\s*\/>|<w:tblHeader w:val="(true|1|on)"\s*\/>/.test(row),
      cells: (row.match(/<w:tc[ >][\s\S]*?<\/w:tc>/g) ?? []).map((cell) => ({
        text: wordText(cell),
        span: Number(/<w:gridSpan w:val="(\d+)"/.exec(cell)?.[1] ?? 1),
        bold: /<w:b\s*\/>|<w:b w:val="(true|1|on)"\s*\/>/.test(cell),
      })),
    })),
  );
}

describe('renderDocx', () => {
  let documentXml: string;
  let stylesXml: string;

  beforeAll(async () => {
    const zip = await JSZip.loadAsync(await renderDocx(DOC));
    documentXml = await zip.file('word/document.xml')!.async('string');
    stylesXml = await zip.file('word/styles.xml')!.async('string');
  });

  it('uses a landscape A4 section', () => {
    const pgSz = /<w:pgSz [^>]*\/>/.exec(documentXml)?.[0] ?? '';
    expect(pgSz).toContain('w:orient="landscape"');
    expect(pgSz).toContain('w:w="16838"');
    expect(pgSz).toContain('w:h="11906"');
  });

  it('sets Times New Roman 12pt as the document font', () => {
    const defaults = /<w:docDefaults>[\s\S]*?<\/w:docDefaults>/.exec(stylesXml)?.[0] ?? '';
    const fonts = /<w:rFonts [^>]*\/>/.exec(defaults)?.[0] ?? '';
    // Vietnamese letters fall in the hAnsi range, plain Latin in ascii: both must be Times New Roman.
    expect(fonts).toContain('w:ascii="Times New Roman"');
    expect(fonts).toContain('w:hAnsi="Times New Roman"');
    expect(defaults).toMatch(/<w:sz w:val="24"\s*\/>/);
  });

  it('starts with the heading lines, centered and bold, and puts each title before its table', () => {
    const withoutTables = documentXml.replace(/<w:tbl>[\s\S]*?<\/w:tbl>/g, '<TABLE/>');
    const bodyParagraphs = withoutTables.match(/<w:p[ >][\s\S]*?<\/w:p>|<TABLE\/>/g) ?? [];
    const texts = bodyParagraphs.map((p) => (p === '<TABLE/>' ? '<TABLE>' : wordText(p)));
    expect(texts.filter((t) => t !== '')).toEqual([...HEADING, 'Phụ lục', '<TABLE>', 'Theo cơ quan chủ trì', '<TABLE>']);
    for (const p of bodyParagraphs.slice(0, HEADING.length)) {
      expect(p).toMatch(/<w:jc w:val="center"\s*\/>/);
      expect(p).toMatch(/<w:b\s*\/>/);
    }
    const title = bodyParagraphs.find((p) => wordText(p) === 'Phụ lục')!;
    expect(title).toMatch(/<w:b\s*\/>/);
  });

  it('writes the appendix cell by cell: repeated bold header, spanning bold group rows, text cells', () => {
    const [rows] = wordTables(documentXml);
    expect(rows).toHaveLength(1 + APPENDIX_ROWS.length);

    const [header, ...body] = rows;
    expect(header.repeatedHeader).toBe(true);
    expect(header.cells.map((c) => c.text)).toEqual(APPENDIX_HEADER);
    for (const cell of header.cells) expect(cell.bold).toBe(true);

    body.forEach((row, i) => {
      const expected = APPENDIX_ROWS[i];
      expect(row.repeatedHeader).toBe(false);
      if (isGroup(expected)) {
        expect(row.cells).toEqual([{ text: expected.group, span: APPENDIX_HEADER.length, bold: true }]);
      } else {
        expect(row.cells.map((c) => c.text)).toEqual(asText(expected));
        for (const cell of row.cells) expect(cell.span).toBe(1);
      }
    });
  });

  it('writes numbers as plain text and sizes the grid in proportion to the column widths', () => {
    const tables = wordTables(documentXml);
    expect(tables).toHaveLength(2);
    expect(tables[1].map((r) => r.cells.map((c) => c.text))).toEqual([
      BY_AGENCY_HEADER,
      ...BY_AGENCY_ROWS.map((r) => asText(r as readonly (string | number | null)[])),
    ]);

    const grid = /<w:tblGrid>[\s\S]*?<\/w:tblGrid>/.exec(documentXml)?.[0] ?? '';
    const cols = [...grid.matchAll(/<w:gridCol w:w="(\d+)"/g)].map((m) => Number(m[1]));
    expect(cols).toHaveLength(APPENDIX_HEADER.length);
    // widths 5, 40, 20, 20, 15 (default), 12, 40
    expect(cols[1] / cols[0]).toBeCloseTo(8, 1);
    expect(cols[4] / cols[0]).toBeCloseTo(3, 1);
    expect(cols[6]).toBeCloseTo(cols[1], -1);
  });
});

// ---- CSV ----------------------------------------------------------------------------------------

/** Strict RFC 4180 reader: CRLF-terminated records only; a bare CR or LF outside quotes is an error. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
    } else {
      while (i < text.length && !',\r\n"'.includes(text[i])) field += text[i++];
      if (text[i] === '"') throw new Error(`quote inside an unquoted field at ${i}`);
    }
    fields.push(field);
    if (text[i] === ',') {
      i++;
    } else if (text.startsWith('\r\n', i)) {
      records.push(fields);
      fields = [];
      i += 2;
    } else {
      throw new Error(`expected a comma or CRLF at ${i}`);
    }
  }
  if (fields.length > 0) throw new Error('last record is not CRLF-terminated');
  return records;
}

describe('renderCsv', () => {
  const csv = renderCsv(APPENDIX);
  const text = csv.subarray(3).toString('utf8');

  it('starts with the UTF-8 byte order mark', () => {
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text.startsWith('TT,')).toBe(true);
  });

  it('parses back (strict RFC 4180, CRLF records) to the headers, the group rows and every cell', () => {
    expect(parseCsv(text)).toEqual([
      APPENDIX_HEADER,
      ...APPENDIX_ROWS.map((row) => (isGroup(row) ? [row.group, ...Array<string>(APPENDIX_HEADER.length - 1).fill('')] : asText(row))),
    ]);
  });

  it('quotes only fields with a comma, quote or line break, doubling inner quotes', () => {
    const lines = text.split('\r\n');
    expect(lines[0]).toBe(APPENDIX_HEADER.join(','));
    expect(lines[1]).toBe('I. Nhóm nhiệm vụ về thể chế,,,,,,');
    expect(text).toContain(',"Rà soát văn bản quy phạm pháp luật ""hết hiệu lực""",Sở Tư pháp,,Báo cáo rà soát,');
    expect(text).toContain(',"Đã hoàn thành:\nBáo cáo số 45/BC-STP ngày 10/03/2024"\r\n');
    expect(text).toContain(',"Sở Tư pháp, các sở, ngành liên quan",');
    expect(text.endsWith('\r\n')).toBe(true);
  });

  it('writes numbers plainly, without thousand separators', () => {
    const lines = renderCsv(BY_AGENCY).subarray(3).toString('utf8').split('\r\n');
    expect(lines).toEqual(['Cơ quan chủ trì,Tổng số,Đã hoàn thành,Quá hạn', 'Sở Tài chính,12,7,0', 'Sở Tư pháp,1234567,3.5,2', '']);
  });
});

// ---- PDF ----------------------------------------------------------------------------------------

/** Pages in a PDF: page objects, not the /Pages tree node. */
const pageCount = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type\s*\/Page(?![A-Za-z])/g) ?? []).length;

/** Page content streams (deflated by pdfkit), told apart from font and CMap streams by their text operators. */
function pageContents(pdf: Buffer): string[] {
  const streams = [...pdf.toString('latin1').matchAll(/stream\n([\s\S]*?)\nendstream/g)];
  return streams
    .map((m) => {
      try {
        return inflateSync(Buffer.from(m[1], 'latin1')).toString('latin1');
      } catch {
        return '';
      }
    })
    .filter((content) => /^BT$/m.test(content) && / Tf$/m.test(content));
}
/** The header fill #d9d9d9 as pdfkit writes it (217/255 per channel). */
const HEADER_FILL_OPERATOR = /0\.85098\d* 0\.85098\d* 0\.85098\d* scn/g;

/** A PDF text string as pdfkit writes a non-ASCII one: UTF-16BE with a BOM, in parentheses, escaped. */
function pdfUnicodeString(text: string): Buffer {
  const utf16be = Buffer.from(`\uFEFF${text}`, 'utf16le').swap16();
  const escaped = utf16be.toString('latin1').replace(/[\\()\n\r\t\b\f]/g, (c) => `\\${c}`);
  return Buffer.from(`(${escaped})`, 'latin1');
}

describe('renderPdf', () => {
  let pdf: Buffer;

  beforeAll(async () => {
    pdf = await renderPdf(DOC);
  });

  it('produces a PDF document with content', () => {
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(5_000);
    expect(pdf.toString('latin1').trimEnd().endsWith('%%EOF')).toBe(true);
  });

  it('embeds DejaVu Sans (regular and bold) and never the built-in Helvetica', () => {
    const raw = pdf.toString('latin1');
    expect(raw).toMatch(/\/FontName \/[A-Z]{6}\+DejaVuSans\b(?!-)/);
    expect(raw).toMatch(/\/FontName \/[A-Z]{6}\+DejaVuSans-Bold\b/);
    expect(raw).toContain('/FontFile2');
    expect(raw).not.toContain('Helvetica');
  });

  it('uses the first heading line as the document title', () => {
    // pdfkit writes the info strings as indirect objects: /Title n 0 R ... n 0 obj (string) endobj
    const ref = /\/Title (\d+) 0 R/.exec(pdf.toString('latin1'))?.[1];
    expect(ref).toBeDefined();
    const object = Buffer.concat([Buffer.from(`\n${ref} 0 obj\n`), pdfUnicodeString(HEADING[0]), Buffer.from('\nendobj')]);
    expect(pdf.includes(object)).toBe(true);
  });

  it('is a single landscape A4 page for the sample and breaks onto new pages for 200 rows', async () => {
    expect(pageCount(pdf)).toBe(1);
    expect(pdf.toString('latin1')).toMatch(/\/MediaBox \[0 0 841\.89 595\.28\]/);
    const long = await renderPdf(manyRows(200));
    expect(pageCount(long)).toBeGreaterThan(1);
  });

  it('repeats the filled header row (one cell per column) at the top of every page of a long table', async () => {
    const long = await renderPdf(manyRows(200));
    const pages = pageContents(long);
    expect(pages).toHaveLength(pageCount(long));
    for (const content of pages) expect(content.match(HEADER_FILL_OPERATOR)).toHaveLength(3);
  });

  it('survives a cell taller than a page without overflowing into endless pages', async () => {
    const huge = 'Nội dung rất dài. '.repeat(3000);
    const result = await renderPdf({
      name: 'huge',
      heading: HEADING,
      tables: [{ title: 'Phụ lục', columns: APPENDIX.columns.slice(0, 2), rows: [{ kind: 'row', cells: { task: huge } }] }],
    });
    expect(pageCount(result)).toBeLessThanOrEqual(2);
  });
});
