import { decodeDocument } from '@mandate/plan-import';
import { detectFormat, DocumentReadError, readDocument, renderForParser, type DocumentFormat, type ReadOptions } from '@mandate/document-reader';

/** A document's text as the plan parser reads it, with the format its bytes showed and its pages. */
export type UploadText = { readonly text: string; readonly format: DocumentFormat; readonly pages: number | null };

/**
 * Any document's bytes (Word, PDF, scan, web page, text) into the text parsePlan reads: the one path of
 * `mandate parse`, `mandate import` and POST /api/v1/imports. The format comes from the bytes (a name or
 * content type is a hint only). Text, and whatever the detector does not take for a document, goes
 * through decodeDocument exactly as before the readers existed, so text imports keep their results
 * and their refusals (plan-import.binary, .not-utf8, .empty); the other formats through readDocument
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
  if (format === 'text') return { text: decodeDocument(bytes, document), format, pages: null };
  const read = await readDocument(bytes, { ...options, fileName: document });
  return { text: renderForParser(read), format: read.format, pages: read.pages ?? null };
};
