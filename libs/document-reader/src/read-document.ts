import { detectFormat } from './detect';
import { type DocumentFormat, DocumentReadError, type ReadDocument } from './document';
import { readDoc } from './doc';
import { readDocx } from './docx';
import type { PagedReadOptions } from './external-tools';
import { readHtml } from './html-reader';
import { readImage } from './ocr';
import { readPdf } from './pdf';
import { readText } from './text-reader';

/** signal, timeoutMs, onProgress, onOcr, maxPages, ocrConcurrency go to the paged readers (PDF, scans) and .doc. */
export type ReadOptions = PagedReadOptions & {
  /** Shown in messages; a hint only: the format comes from the bytes. */
  readonly fileName?: string;
  /** The most bytes accepted, whatever the format (the per-format limits below apply too). */
  readonly maxBytes?: number;
};

/** A reader turns a document's bytes into blocks. */
export type DocumentReaderFn = (bytes: Uint8Array, options: ReadOptions) => ReadDocument | Promise<ReadDocument>;

export const MB = 1024 * 1024;

/** Per format: the file's size (a .docx is also limited unpacked: see zip.ts), HTML and text as read. */
export const FORMAT_LIMITS: Record<DocumentFormat, number> = {
  docx: 20 * MB,
  doc: 20 * MB,
  pdf: 50 * MB,
  image: 30 * MB,
  html: 10 * MB,
  text: 5 * MB,
};

export const readers: Partial<Record<DocumentFormat, DocumentReaderFn>> = {
  docx: (bytes) => readDocx(bytes),
  doc: (bytes, options) => readDoc(bytes, options),
  pdf: (bytes, options) => readPdf(bytes, options),
  image: (bytes, options) => readImage(bytes, options),
  html: (bytes) => readHtml(bytes),
  text: (bytes) => readText(bytes),
};

const NAMES: Record<DocumentFormat, string> = {
  docx: 'Word (.docx)',
  doc: 'Word 97–2003 (.doc)',
  pdf: 'PDF',
  image: 'image (scan)',
  html: 'web page',
  text: 'text',
};

/** Reads any document the importer knows, by the format its bytes show. */
export const readDocument = async (bytes: Uint8Array, options: ReadOptions = {}): Promise<ReadDocument> => {
  const label = options.fileName ? `"${options.fileName}"` : 'The file';
  if (options.maxBytes !== undefined && bytes.length > options.maxBytes) {
    throw new DocumentReadError(
      `${label} is ${(bytes.length / MB).toFixed(1)} MB; documents up to ${(options.maxBytes / MB).toFixed(1)} MB are read.`,
      'document.too-large',
    );
  }
  const format = detectFormat(bytes, options.fileName);
  if (bytes.length > FORMAT_LIMITS[format]) {
    throw new DocumentReadError(
      `${label} is a ${NAMES[format]} of ${(bytes.length / MB).toFixed(1)} MB; ${NAMES[format]} documents up to ${FORMAT_LIMITS[format] / MB} MB are read.`,
      'document.too-large',
    );
  }
  const reader = readers[format];
  if (!reader) throw new DocumentReadError(`${label} is a ${NAMES[format]}, which the importer cannot read yet.`, 'document.unsupported');
  return reader(bytes, options);
};

/**
 * The HTTP status of each way a document cannot be read, in one place (the import API and the CLI's
 * exit status use it): over a limit 413, not a document the importer reads 415, empty, corrupt,
 * hostile or too slow to read 422.
 */
export const READ_ERROR_STATUS: Record<DocumentReadError['code'], 413 | 415 | 422> = {
  'document.too-large': 413,
  'document.unsupported': 415,
  'document.empty': 422,
  'document.corrupt': 422,
  'document.hostile': 422,
  'document.timeout': 422,
};
