import {
  AlignmentType,
  Document,
  Packer,
  PageOrientation,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { cellText, proportionalWidths } from './layout';
import type { ReportCell, ReportDocument, ReportTable } from './report-document';

// Twips (1/20 pt). A4 is given portrait; docx swaps width and height for a landscape section.
const A4_WIDTH = 11906;
const A4_HEIGHT = 16838;
const MARGIN = 1134; // 2 cm
const TABLE_WIDTH = A4_HEIGHT - 2 * MARGIN;

/** Word document in the administrative style: Times New Roman 12pt, landscape A4 for wide appendices. */
export async function renderDocx(doc: ReportDocument): Promise<Buffer> {
  const children: (Paragraph | Table)[] = doc.heading.map(
    (line) => new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: line, bold: true })] }),
  );
  for (const table of doc.tables) {
    children.push(
      new Paragraph({
        spacing: { before: 240, after: 120 },
        children: [new TextRun({ text: table.title, bold: true })],
      }),
    );
    // Word rejects a table without grid columns, so a table with no columns prints its title only.
    if (table.columns.length > 0) children.push(wordTable(table));
  }

  const document = new Document({
    creator: 'Mandate',
    title: doc.heading[0] ?? doc.name,
    styles: { default: { document: { run: { font: 'Times New Roman', size: 24 } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: A4_WIDTH, height: A4_HEIGHT, orientation: PageOrientation.LANDSCAPE },
            margin: { top: MARGIN, right: MARGIN, bottom: MARGIN, left: MARGIN },
          },
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(document);
}

function wordTable(table: ReportTable): Table {
  const widths = proportionalWidths(table.columns, TABLE_WIDTH, true);
  const span = table.columns.length;
  const dxa = (size: number) => ({ size, type: WidthType.DXA });

  const header = new TableRow({
    tableHeader: true, // Word repeats it at the top of every page the table runs onto
    cantSplit: true,
    children: table.columns.map(
      (column, i) =>
        new TableCell({
          width: dxa(widths[i]),
          shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'D9D9D9' },
          children: [textParagraph(column.header, { bold: true, alignment: AlignmentType.CENTER })],
        }),
    ),
  });

  const body = table.rows.map((row) =>
    row.kind === 'group'
      ? new TableRow({
          children: [
            new TableCell({
              columnSpan: span,
              width: dxa(TABLE_WIDTH),
              children: [textParagraph(row.label, { bold: true })],
            }),
          ],
        })
      : new TableRow({
          children: table.columns.map((column, i) => {
            const value: ReportCell | undefined = row.cells[column.key];
            return new TableCell({
              width: dxa(widths[i]),
              children: [
                textParagraph(cellText(value), {
                  alignment: typeof value === 'number' ? AlignmentType.RIGHT : AlignmentType.LEFT,
                }),
              ],
            });
          }),
        }),
  );

  return new Table({
    width: dxa(TABLE_WIDTH),
    columnWidths: widths,
    // Fixed layout keeps the proportions from the model instead of Word autofitting to content.
    layout: TableLayoutType.FIXED,
    rows: [header, ...body],
  });
}

/** A paragraph whose line breaks in the text become Word line breaks (w:br) rather than lost whitespace. */
function textParagraph(text: string, options: { bold?: boolean; alignment?: (typeof AlignmentType)[keyof typeof AlignmentType] }): Paragraph {
  const lines = text.split(/\r\n|\r|\n/);
  return new Paragraph({
    alignment: options.alignment,
    children: lines.map((line, i) => new TextRun({ text: line, bold: options.bold, break: i > 0 ? 1 : undefined })),
  });
}
