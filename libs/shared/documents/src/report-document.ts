/**
 * A report as offices exchange it, independent of the file format: a title block and tables whose
 * rows may be group headings (I, II, III of a Phụ lục) spanning every column. Cells hold text or
 * numbers already formatted for people (dates as dd/mm/yyyy); renderers only lay them out.
 */
export type ReportCell = string | number | null;

export type ReportColumn = {
  key: string;
  /** Vietnamese header, as the appendix prints it ("TT", "Nhiệm vụ", "Cơ quan chủ trì", …) */
  header: string;
  /** Relative width (characters in a spreadsheet); renderers scale it. */
  width?: number;
};

export type ReportRow = { kind: 'group'; label: string } | { kind: 'row'; cells: Readonly<Record<string, ReportCell>> };

export type ReportTable = {
  title: string;
  columns: readonly ReportColumn[];
  rows: readonly ReportRow[];
};

export type ReportDocument = {
  /** File names and the spreadsheet's sheet prefix; ASCII */
  name: string;
  /** Heading lines above everything: issuer, title, the period */
  heading: readonly string[];
  tables: readonly ReportTable[];
};
