import type { AgencyRef, DeadlineView, PlanKind } from '@mandate/plans-domain';

/**
 * What the importer reads from a document, before anything is stored: the JSON `mandate parse --json`
 * prints and `POST /api/v1/imports?dryRun=true` returns. Every value keeps the text a person wrote
 * beside the normalised one; `source.line` is the 1-based line of the input where the item starts.
 */
export type ParsedPlan = {
  readonly document: ParsedDocument;
  readonly indicators: readonly ParsedIndicator[];
  readonly tasks: readonly ParsedTask[];
  readonly warnings: readonly ImportWarning[];
};

export type ParsedDocument = {
  /** The document type's code in its number: "KH" (Kế hoạch), "CT" (Chỉ thị), "QĐ", "CTr", … */
  readonly kind: string;
  readonly planKind: PlanKind;
  /** null when the document does not state it (a copy before signing: "Số:      /KH-UBND"); warned as number-missing. */
  readonly number: string | null;
  /** null when the date line is blank or absent; warned as date-missing. */
  readonly issuedOn: string | null;
  readonly effectiveOn: string | null;
  readonly issuer: string | null;
  /** Địa danh of the date line: "Hà Nội", "Hải Phòng", "Bạch Long Vĩ". */
  readonly place: string | null;
  readonly signer: string | null;
  readonly title: string | null;
  readonly fields: readonly string[];
  /** Numbers of the documents it implements: "50/NQ-CP". */
  readonly implements: readonly string[];
  /** The same, as the text cites them: "Nghị quyết số 50/NQ-CP ngày 20/5/2021". */
  readonly implementsText: readonly string[];
  readonly truncated: boolean;
};

/** A region of a page as fractions of the page (0..1, origin top-left). */
export type SourceRegion = { readonly x: number; readonly y: number; readonly width: number; readonly height: number };

/**
 * Where an item was read: its 1-based line of the input; the excerpt of the document it was read from
 * (from its first line to where the next item starts, whitespace collapsed, at most ~600 characters,
 * "…" when cut); for a paged document (PDF, scan) the 1-based page it starts on and, when the reader
 * knows where its words are, the region of that page its lines cover.
 */
export type SourceRef = { readonly line: number; readonly page?: number; readonly excerpt?: string; readonly region?: SourceRegion };

export type ParsedTask = {
  /** Its number in the document, made unique within the plan: "PL2.I.3", "III.2.a.1". */
  readonly ref: string;
  readonly group: string | null;
  readonly title: string;
  readonly lead: AgencyRef | null;
  readonly coordinators: readonly AgencyRef[];
  readonly deliverable: string | null;
  /** Lãnh đạo UBND phụ trách as written, and the person it names when the city's leaders are known. */
  readonly supervisor: { readonly text: string; readonly name: string | null } | null;
  readonly note: string | null;
  readonly deadline: DeadlineView;
  /** The ref of the row this one is a sub-row of. */
  readonly parent: string | null;
  readonly source: SourceRef;
};

export type IndicatorTarget = {
  /** The year the target is for ("đến năm 2025"), null when the text names none. */
  readonly horizon: number | null;
  readonly text: string;
  readonly value?: number;
  readonly min?: number;
  readonly max?: number;
};

export type ParsedIndicator = {
  readonly ref: string;
  readonly group: string | null;
  readonly name: string;
  readonly unit: string | null;
  readonly targets: readonly IndicatorTarget[];
  readonly lead: AgencyRef | null;
  readonly parent: string | null;
  readonly source: SourceRef;
};

export const WARNING_CODES = [
  'truncated', // the source text is cut off ("[...]")
  'boilerplate-dropped', // website text around the document was left out
  'duplicate-page', // a page printed twice; its items are read once
  'number-missing', // no number, or left blank in a copy before signing: null in the document
  'date-missing', // no issue date, or left blank: null in the document
  'no-title',
  'issuer-missing',
  'signer-missing',
  'no-tasks',
  'duplicate-ref', // the same task number twice
  'row-incomplete', // a table row prints fewer cells than the header
  'lead-missing',
  'agency-unresolved', // a name not in the city's directory: kept with agencyId null
  'deadline-unknown', // a deadline form the importer does not know: kept as text
  'deadline-empty',
  'leader-corrected', // a leader's name with a typo, matched to the intended person
  'leader-unknown',
  'indicator-unreadable',
  // What the document readers noted (libs/document-reader), with the page: see reader-warnings.ts.
  'page-ocr', // a PDF page without a usable text layer was read by OCR
  'ocr-low-confidence', // OCR was unsure of a page: check its text against the paper
  'ocr-number-unreadable', // the document number, written by hand, did not read as a number
  'ocr-date-unreadable', // a date written by hand did not read as a date
  'reader-note', // anything else a reader noted
] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

export type ImportWarning = {
  readonly code: WarningCode;
  readonly message: string;
  /** 1-based line of the input the warning is about, when there is one. */
  readonly line?: number;
  /** 1-based page of the document (PDF, scan) the warning is about, when there is one. */
  readonly page?: number;
};

/** Collects warnings while reading; `at` is the 0-based index of a line of the input. */
export type WarningSink = (code: WarningCode, message: string, at?: number) => void;
