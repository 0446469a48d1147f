import path from 'node:path';
import PDFDocument from 'pdfkit';
import { cellText, proportionalWidths } from './layout';
import type { ReportDocument, ReportTable } from './report-document';

// The standard PDF fonts (Helvetica, Times) are WinAnsi only and drop Vietnamese letters such as ệ, ộ, ư;
// DejaVu covers them and pdfkit embeds only the glyphs used.
const FONT_DIR = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const REGULAR_FILE = path.join(FONT_DIR, 'DejaVuSans.ttf');
const BOLD_FILE = path.join(FONT_DIR, 'DejaVuSans-Bold.ttf');
const REGULAR = 'DejaVuSans';
const BOLD = 'DejaVuSans-Bold';

const MARGIN = 36;
const HEADING_SIZE = 12;
const TITLE_SIZE = 11;
const CELL_SIZE = 9;
const PADDING = 3;
const HEADER_FILL = '#d9d9d9';

type Cell = { text: string; width: number; bold: boolean; align: 'left' | 'center' | 'right' };

/** Printable A4 landscape rendition: heading, then each table as a bordered grid split across pages. */
export function renderPdf(doc: ReportDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const pdf = new PDFDocument({
      size: 'A4',
      layout: 'landscape',
      margin: MARGIN,
      // Passing the font here keeps pdfkit from loading its default Helvetica at all.
      font: REGULAR_FILE,
      info: { Title: doc.heading[0] ?? doc.name, Creator: 'Mandate' },
    });
    const chunks: Buffer[] = [];
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
    try {
      pdf.registerFont(REGULAR, REGULAR_FILE);
      pdf.registerFont(BOLD, BOLD_FILE);
      draw(pdf, doc);
      pdf.end();
    } catch (error) {
      reject(error);
    }
  });
}

function draw(pdf: PDFKit.PDFDocument, doc: ReportDocument): void {
  const left = pdf.page.margins.left;
  const width = pdf.page.width - left - pdf.page.margins.right;
  pdf.font(BOLD).fontSize(HEADING_SIZE);
  for (const line of doc.heading) pdf.text(line, left, pdf.y, { width, align: 'center' });
  pdf.moveDown();
  for (const table of doc.tables) drawTable(pdf, table, left, width);
}

function drawTable(pdf: PDFKit.PDFDocument, table: ReportTable, left: number, width: number): void {
  const widths = proportionalWidths(table.columns, width);
  const top = pdf.page.margins.top;
  const bottom = pdf.page.height - pdf.page.margins.bottom;
  const header: Cell[] = table.columns.map((column, i) => ({
    text: column.header,
    width: widths[i],
    bold: true,
    align: 'center',
  }));
  const rows: Cell[][] = table.rows.map((row) =>
    row.kind === 'group'
      ? [{ text: row.label, width, bold: true, align: 'left' }]
      : table.columns.map((column, i) => {
          const value = row.cells[column.key];
          const align = typeof value === 'number' ? 'right' : 'left';
          return { text: cellText(value), width: widths[i], bold: false, align };
        }),
  );

  // Keep the title with the header and the first row instead of stranding it at the bottom of a page.
  pdf.font(BOLD).fontSize(TITLE_SIZE);
  const titleHeight = pdf.heightOfString(table.title, { width }) + PADDING;
  const headerHeight = rowHeight(pdf, header);
  // (A first row taller than a page counts as a full page: it will be cut to fit one anyway.)
  const pageRoom = bottom - top - titleHeight - headerHeight;
  const firstHeight = rows.length > 0 ? Math.min(rowHeight(pdf, rows[0]), pageRoom) : 0;
  if (pdf.y + titleHeight + headerHeight + firstHeight > bottom && pdf.y > top) pdf.addPage();
  pdf.font(BOLD).fontSize(TITLE_SIZE).text(table.title, left, pdf.y, { width });
  let y = pdf.y + PADDING;

  if (header.length > 0) {
    drawRow(pdf, header, left, y, headerHeight, HEADER_FILL);
    y += headerHeight;
    let rowsOnPage = 0;
    for (const cells of rows) {
      let height = rowHeight(pdf, cells);
      // Only break after at least one row: a row taller than a whole page would otherwise add pages forever.
      if (y + height > bottom && rowsOnPage > 0) {
        pdf.addPage();
        y = top;
        drawRow(pdf, header, left, y, headerHeight, HEADER_FILL);
        y += headerHeight;
        rowsOnPage = 0;
      }
      // Such a row is cut (with an ellipsis) rather than drawn past the margin.
      height = Math.min(height, bottom - y);
      drawRow(pdf, cells, left, y, height);
      y += height;
      rowsOnPage++;
    }
  }
  pdf.x = left;
  pdf.y = y + 2 * PADDING;
  pdf.moveDown();
}

function useFont(pdf: PDFKit.PDFDocument, cell: Cell): void {
  pdf.font(cell.bold ? BOLD : REGULAR).fontSize(CELL_SIZE);
}

function rowHeight(pdf: PDFKit.PDFDocument, cells: readonly Cell[]): number {
  let height = 0;
  for (const cell of cells) {
    useFont(pdf, cell);
    // An empty cell still gets one line so blank rows remain visible.
    const text = pdf.heightOfString(cell.text || ' ', { width: cell.width - 2 * PADDING });
    height = Math.max(height, text, pdf.currentLineHeight(true));
  }
  return height + 2 * PADDING;
}

function drawRow(pdf: PDFKit.PDFDocument, cells: readonly Cell[], left: number, y: number, height: number, fill?: string): void {
  let x = left;
  for (const cell of cells) {
    pdf.lineWidth(0.5);
    if (fill) pdf.rect(x, y, cell.width, height).fillAndStroke(fill, 'black');
    else pdf.rect(x, y, cell.width, height).stroke('black');
    if (cell.text) {
      useFont(pdf, cell);
      pdf.fillColor('black').text(cell.text, x + PADDING, y + PADDING, {
        width: cell.width - 2 * PADDING,
        // A bounded height stops pdfkit from flowing onto a new page by itself; +1 absorbs rounding.
        height: height - 2 * PADDING + 1,
        ellipsis: true,
        align: cell.align,
      });
    }
    x += cell.width;
  }
}
