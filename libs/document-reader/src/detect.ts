import { type DocumentFormat, DocumentReadError } from './document';
import { looksBinary } from './text-reader';
import { listZip } from './zip';

const startsWith = (bytes: Uint8Array, ...signature: number[]): boolean => signature.every((byte, index) => bytes[index] === byte);

const ascii = (bytes: Uint8Array, length: number): string => Buffer.from(bytes.subarray(0, length)).toString('latin1');

/** "<!doctype html", "<html" or a <body> tag near the start (after a BOM, comments or an XML prolog). */
const looksHtml = (bytes: Uint8Array): boolean => {
  const head = decodeHead(bytes).toLowerCase();
  if (/^\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<!doctype\s+html\b/.test(head)) return true;
  if (/^\s*(?:<!--[\s\S]*?-->\s*)*<html[\s>]/.test(head)) return true;
  return /<body[\s>]/.test(head) && /^\s*</.test(head);
};

/** The first KB as text, whichever of UTF-8 / UTF-16 (with a BOM) it is in. */
const decodeHead = (bytes: Uint8Array): string => {
  const head = bytes.subarray(0, 1024);
  if (startsWith(head, 0xff, 0xfe)) return Buffer.from(head.subarray(2)).toString('utf16le');
  if (startsWith(head, 0xfe, 0xff)) return Buffer.from(head.subarray(2)).swap16().toString('utf16le');
  return Buffer.from(head)
    .toString('utf8')
    .replace(/^\ufeff/, '');
};

const unsupported = (what: string): DocumentReadError =>
  new DocumentReadError(
    `The file is ${what}, not a document the importer reads (Word .docx/.doc, PDF, an image scan, a web page, or text).`,
    'document.unsupported',
  );

/**
 * The document's format from its bytes (magic numbers), never only from its name: a renamed .exe is refused
 * whatever it is called. The name only breaks ties (none today: kept for the readers' messages).
 */
export const detectFormat = (bytes: Uint8Array, fileName?: string): DocumentFormat => {
  void fileName;
  if (bytes.length === 0) throw new DocumentReadError('The file is empty (0 bytes): there is nothing to import.', 'document.empty');
  if (startsWith(bytes, 0x50, 0x4b, 0x03, 0x04) || startsWith(bytes, 0x50, 0x4b, 0x05, 0x06)) {
    const names = new Set(listZip(bytes).map((entry) => entry.name));
    if (names.has('word/document.xml') || (names.has('[Content_Types].xml') && [...names].some((name) => name.startsWith('word/')))) return 'docx';
    if ([...names].some((name) => name.startsWith('xl/'))) throw unsupported('an Excel workbook (.xlsx)');
    if ([...names].some((name) => name.startsWith('ppt/'))) throw unsupported('a PowerPoint presentation (.pptx)');
    if (names.has('content.xml')) throw unsupported('an OpenDocument file (save it as .docx)');
    throw unsupported('a zip archive');
  }
  if (startsWith(bytes, 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) return 'doc';
  if (ascii(bytes, 1024).includes('%PDF-')) return 'pdf';
  if (startsWith(bytes, 0x89, 0x50, 0x4e, 0x47) || startsWith(bytes, 0xff, 0xd8, 0xff)) return 'image';
  if (startsWith(bytes, 0x49, 0x49, 0x2a, 0x00) || startsWith(bytes, 0x4d, 0x4d, 0x00, 0x2a)) return 'image';
  if (startsWith(bytes, 0x4d, 0x5a)) throw unsupported('a Windows program (.exe)');
  if (startsWith(bytes, 0x7f, 0x45, 0x4c, 0x46)) throw unsupported('a program (ELF)');
  if (startsWith(bytes, 0x1f, 0x8b) || startsWith(bytes, 0x52, 0x61, 0x72, 0x21) || startsWith(bytes, 0x37, 0x7a, 0xbc, 0xaf)) {
    throw unsupported('a compressed archive');
  }
  if (startsWith(bytes, 0x7b, 0x5c, 0x72, 0x74, 0x66)) throw unsupported('an RTF file (save it as .docx)');
  if (looksHtml(bytes)) return 'html';
  const utf16 = startsWith(bytes, 0xff, 0xfe) || startsWith(bytes, 0xfe, 0xff);
  if (!utf16) {
    // Text is NUL-free; the rest (encoding) is the text reader's to judge and say.
    const sample = bytes.subarray(0, 64 * 1024);
    if (sample.includes(0)) throw unsupported('binary data');
    const latin = Buffer.from(sample).toString('latin1');
    if (looksBinary(latin.replace(/[\u0080-\u00ff]/g, 'a'))) throw unsupported('binary data');
  }
  return 'text';
};
