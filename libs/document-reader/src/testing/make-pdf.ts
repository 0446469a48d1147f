import path from 'node:path';
import PDFDocument from 'pdfkit';

/**
 * PDFs made for the readers' tests and benchmark: Vietnamese text with a ruled table (pdfkit, DejaVu
 * for the Vietnamese letters), the same with its text layer garbled the way broken font subsets garble
 * it, a scan (an image and no text), and hand-written hostile files.
 */
const FONT = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf', 'DejaVuSans.ttf');

export const PARAGRAPHS = [
  'Công tác quản lý nhà nước về vật liệu nổ công nghiệp thời gian vừa qua đã được Ủy ban nhân dân tỉnh chỉ đạo triển khai và đạt được nhiều kết quả tích cực, các hoạt động liên quan đã được quản lý chặt chẽ, nền nếp.',
  'Để tăng cường hiệu lực, hiệu quả quản lý nhà nước, Chủ tịch Ủy ban nhân dân tỉnh yêu cầu các cơ quan, đơn vị, địa phương triển khai thực hiện tốt các nhiệm vụ sau:',
];

export const TABLE = [
  ['STT', 'Nhiệm vụ', 'Chủ trì', 'Thời hạn'],
  ['1', 'Rà soát các quy định hiện hành về quản lý vật liệu nổ công nghiệp', 'Sở Công Thương', '30/6/2026'],
  ['2', 'Tăng cường kiểm tra, giám sát', 'Công an tỉnh', 'Quý III/2026'],
  ['3', 'Tuyên truyền, phổ biến pháp luật', 'Sở Tư pháp', 'Hằng năm'],
];

const toBuffer = (doc: PDFKit.PDFDocument) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });

const COLUMNS = [40, 230, 130, 95];

const drawTable = (doc: PDFKit.PDFDocument, rows: string[][]) => {
  const left = doc.page.margins.left;
  let y = doc.y + 10;
  for (const row of rows) {
    const heights = row.map((cell, i) => doc.heightOfString(cell, { width: COLUMNS[i] - 10 }));
    const height = Math.max(...heights) + 10;
    let x = left;
    row.forEach((cell, i) => {
      doc.rect(x, y, COLUMNS[i], height).stroke();
      doc.text(cell, x + 5, y + 5, { width: COLUMNS[i] - 10 });
      x += COLUMNS[i];
    });
    y += height;
  }
  doc.x = left;
  doc.y = y + 10;
};

/** A Word-like text PDF: header, title, paragraphs and a ruled task table on each page. */
export const makeTextPdf = async ({ pages = 1, compress = true }: { pages?: number; compress?: boolean } = {}): Promise<Buffer> => {
  const doc = new PDFDocument({ size: 'A4', margin: 56, compress, font: FONT });
  doc.fontSize(11);
  for (let page = 1; page <= pages; page++) {
    if (page > 1) doc.addPage();
    if (page === 1) {
      doc.text('ỦY BAN NHÂN DÂN', 56, 56);
      doc.text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 300, 56);
      doc.text('Số: 193 /UBND-KT', 56, 74);
      doc.text('Lào Cai, ngày 10 tháng 01 năm 2026', 300, 74);
      doc.moveDown(2);
      doc.text('KẾ HOẠCH', 56, doc.y, { align: 'center' });
      doc.moveDown();
    }
    for (const paragraph of PARAGRAPHS) {
      doc.text(paragraph, 56, doc.y, { align: 'justify', indent: 28 });
      doc.moveDown(0.5);
    }
    drawTable(doc, TABLE);
    doc.text(`${PARAGRAPHS[0]} (trang ${page})`, 56, doc.y, { align: 'justify', indent: 28 });
  }
  return toBuffer(doc);
};

/**
 * The text layer of makeTextPdf({ compress: false }) garbled as font subsets without a usable
 * ToUnicode map garble it: ASCII letters shifted down by 0x1D, other letters mapped into Cyrillic. The
 * glyphs are untouched, so the page still looks right (and OCR reads it). Codes keep their width, so
 * the file's offsets stay valid.
 */
export const garbleToUnicode = (pdf: Buffer): Buffer => {
  const text = pdf.toString('latin1');
  const garbled = text.replace(/beginbfrange\n([\s\S]*?)endbfrange/g, (range: string) =>
    range.replace(/\[([^\]]*)\]/g, (array: string) =>
      array.replace(/<([0-9a-f]{4})>/gi, (all, hex: string) => {
        const code = parseInt(hex, 16);
        const ch = String.fromCharCode(code);
        if (/[A-Za-z]/.test(ch)) return `<${(code - 0x1d).toString(16).padStart(4, '0')}>`;
        if (code > 0x7f && /\p{L}/u.test(ch)) return `<${(0x0400 + (code & 0xff)).toString(16).padStart(4, '0')}>`;
        return all;
      }),
    ),
  );
  return Buffer.from(garbled, 'latin1');
};

/** A scan: one page holding a JPEG and no text, as a scanner's PDF. */
export const makeImagePdf = (jpeg: Buffer): Promise<Buffer> => {
  const doc = new PDFDocument({ size: 'A4', margin: 0, autoFirstPage: false });
  doc.addPage({ size: 'A4', margin: 0 });
  // The fixture is the page's top at 300 dpi: drawn at its own scale so OCR renders it back at 300 dpi.
  doc.image(jpeg, 0, 0, { width: doc.page.width });
  return toBuffer(doc);
};

/** A PDF from raw object bodies (1-based), with a correct xref table unless told otherwise. */
export const rawPdf = (objects: string[], trailer = '/Root 1 0 R'): Buffer => {
  let body = '%PDF-1.7\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} ${trailer.replace('$XREF', String(xref))} >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
};
