import { detectFormat } from './detect';
import { type DocumentFormat, DocumentReadError, type ReadDocument } from './document';
import { readDocx } from './docx';
import { readHtml } from './html-reader';
import { readText } from './text-reader';

export type ReadOptions = {
  /** Shown in messages; a hint only: the format comes from the bytes. */
  readonly fileName?: string;
  /** The most bytes accepted, whatever the format (the per-format limits below apply too). */
  readonly maxBytes?: number;
};

/** A reader turns a document's bytes into blocks; PDF, .doc and image readers register here when they exist. */
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
    throw new DocumentReadError(`${label} is ${(bytes.length / MB).toFixed(1)} MB; documents up to ${(options.maxBytes / MB).toFixed(1)} MB are read.`, 'document.too-large');
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
