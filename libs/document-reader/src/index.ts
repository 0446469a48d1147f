export * from './document';
export { detectFormat } from './detect';
export { readDocument, readers, FORMAT_LIMITS, type DocumentReaderFn, type ReadOptions } from './read-document';
export { renderForParser } from './render';
export { readDocx } from './docx';
export { readHtml } from './html-reader';
export { readText, decodeText } from './text-reader';
export { DEFAULT_ZIP_LIMITS, type ZipLimits } from './zip';
