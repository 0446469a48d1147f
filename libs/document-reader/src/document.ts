/**
 * One document model for every format an office keeps: readers turn bytes (.docx, .doc, .pdf, scans,
 * .html, .txt/.md) into blocks with their provenance, and the plan importer's layout recognisers work
 * on what the blocks say, so a table is a table whether it came from OOXML, a PDF's positioned text,
 * HTML or a `|`-separated capture.
 */
export type DocumentFormat = 'docx' | 'doc' | 'pdf' | 'image' | 'html' | 'text';

/**
 * Where a block came from: the page (PDF, scan; 1-based) and the box its words cover there, for OCR how
 * sure the reader was (0–1), and for text sources the 1-based line it starts on (so the importer's line
 * references stay those of the file).
 */
export type Provenance = { page?: number; confidence?: number; ocr?: boolean; line?: number; box?: Box };

/** A region of a page as fractions of the page (0..1, origin top-left): where a block's words are. */
export type Box = { x: number; y: number; width: number; height: number };

/** Where a line of the rendered text (renderWithSources) came from: its page and, when known, its box. */
export type LineSource = { page: number; box?: Box };

export type Paragraph = {
  kind: 'paragraph';
  text: string;
  /** Word's automatic numbering as it shows ("1.", "a)", "-"), when the numbering is not in the text. */
  numbering?: string;
  /** Heading level or a style hint the recognisers may use (bold run, centered title). */
  style?: { heading?: number; bold?: boolean; centered?: boolean; italic?: boolean };
  from?: Provenance;
};

export type TableCell = {
  text: string;
  /** Columns this cell spans (w:gridSpan, colspan). */
  colSpan?: number;
  /** Rows this cell spans (w:vMerge restart … continue, rowspan); continued cells are not repeated. */
  rowSpan?: number;
  from?: Provenance;
};

export type Table = { kind: 'table'; rows: TableCell[][]; from?: Provenance };

export type PageBreak = { kind: 'page-break'; page: number };

export type Block = Paragraph | Table | PageBreak;

/** Something a reader could not read or had to guess: shown to the office at import. */
export type ReadWarning = { code: string; message: string; page?: number };

export type ReadDocument = {
  format: DocumentFormat;
  blocks: Block[];
  /** Pages for paged formats (PDF, scans). */
  pages?: number;
  warnings: ReadWarning[];
};

/** A document that cannot be read at all (not a document, hostile, over a limit): a clear 4xx. */
export class DocumentReadError extends Error {
  constructor(
    message: string,
    readonly code: 'document.empty' | 'document.too-large' | 'document.unsupported' | 'document.corrupt' | 'document.hostile' | 'document.timeout',
  ) {
    super(message);
    this.name = 'DocumentReadError';
  }
}
