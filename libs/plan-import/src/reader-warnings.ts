import { type ImportWarning, type ParsedPlan, WARNING_CODES, type WarningCode } from './parsed-plan';

/** A warning as a document reader gives it (libs/document-reader's ReadWarning): its code, what, and the page. */
export type ReaderWarning = { readonly code: string; readonly message: string; readonly page?: number };

const KNOWN = new Set<string>(WARNING_CODES);

/**
 * The parsed plan with what the reader noted while turning the bytes into text (a page read by OCR, a
 * handwritten number or date it could not read, low confidence), so the office sees it at the review:
 * the reader's warnings first (they are about the document as a whole, in page order), with their page,
 * then the parser's. A code the list does not know yet stays a `reader-note`, its message kept.
 */
export const withReaderWarnings = (parsed: ParsedPlan, warnings: readonly ReaderWarning[]): ParsedPlan => {
  if (warnings.length === 0) return parsed;
  const read: ImportWarning[] = warnings.map((w) => ({
    code: KNOWN.has(w.code) ? (w.code as WarningCode) : 'reader-note',
    message: w.message,
    ...(w.page !== undefined ? { page: w.page } : {}),
  }));
  return { ...parsed, warnings: [...read, ...parsed.warnings] };
};
