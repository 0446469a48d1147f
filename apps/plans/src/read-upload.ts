import { decodeDocument, parsePlan, withReaderWarnings, type ParsedPlan, type ParseOptions } from '@mandate/plan-import';
import {
  detectFormat,
  DocumentReadError,
  readDocument,
  readTextBlocks,
  renderForParser,
  renderWithSources,
  type DocumentFormat,
  type LineSource,
  type ReadOptions,
  type ReadWarning,
} from '@mandate/document-reader';

/**
 * A document's text as the plan parser reads it, with the format its bytes showed, its pages, what the
 * reader noted, and for paged formats where each line of the text came from (page and box; null for the
 * others), which gives each task its page and region.
 */
export type UploadText = {
  readonly text: string;
  readonly format: DocumentFormat;
  readonly pages: number | null;
  readonly warnings: readonly ReadWarning[];
  readonly lineSources?: readonly (LineSource | null)[];
};

/**
 * Any document's bytes (Word, PDF, scan, web page, text) into the text parsePlan reads: the one path of
 * `mandate parse`, `mandate import` and POST /api/v1/imports. The format comes from the bytes (a name or
 * content type is a hint only). Text, and whatever the detector does not take for a document, is
 * decoded by decodeDocument as before the readers existed, so text imports keep their refusals
 * (plan-import.binary, .not-utf8, .empty), then read into blocks like any format: lines a legal-text
 * site hard-wrapped are joined again and its `|` cells made tables (text already in the seeds' form
 * renders back unchanged, line for line). The other formats go through readDocument
 * (DocumentReadError when they cannot be read).
 */
export const readUpload = async (bytes: Uint8Array, document: string, options: Omit<ReadOptions, 'fileName'> = {}): Promise<UploadText> => {
  let format: DocumentFormat;
  try {
    format = detectFormat(bytes, document);
  } catch (error) {
    if (!(error instanceof DocumentReadError)) throw error;
    format = 'text';
  }
  if (format === 'text') {
    const blocks = readTextBlocks(decodeDocument(bytes, document));
    return { text: renderForParser({ format, blocks, warnings: [] }), format, pages: null, warnings: [] };
  }
  const read = await readDocument(bytes, { ...options, fileName: document });
  const { text, sources } = renderWithSources(read);
  return {
    text,
    format: read.format,
    pages: read.pages ?? null,
    warnings: read.warnings,
    ...(sources.some((s) => s !== null) ? { lineSources: sources } : {}),
  };
};

/**
 * A read document parsed as a plan, the reader's warnings (OCR'd pages, a handwritten number or date it
 * could not read) merged into the plan's with their page: what the import worker, `mandate parse` and
 * `mandate parse --report` all give, so the office sees them at the review.
 */
export const parseUpload = (upload: UploadText, options: ParseOptions): ParsedPlan =>
  withReaderWarnings(parsePlan(upload.text, { ...options, lineSources: upload.lineSources }), upload.warnings);
