import type { ReportCell, ReportColumn } from './report-document';

/** Width a column gets when the model leaves it out (characters, as in a spreadsheet). */
export const DEFAULT_COLUMN_WIDTH = 15;

export function columnWidth(column: ReportColumn): number {
  // Guard against zero/negative/NaN widths: they would collapse a column or break proportions.
  const width = column.width;
  return width !== undefined && Number.isFinite(width) && width > 0 ? width : DEFAULT_COLUMN_WIDTH;
}

/**
 * Splits `total` over the columns in proportion to their widths. Rounding (when asked) puts the
 * remainder on the last column so the parts add up exactly to `total`, which Word's grid expects.
 */
export function proportionalWidths(columns: readonly ReportColumn[], total: number, round = false): number[] {
  if (columns.length === 0) return [];
  const weights = columns.map(columnWidth);
  const sum = weights.reduce((a, b) => a + b, 0);
  const widths = weights.map((w) => (total * w) / sum);
  if (!round) return widths;
  const rounded = widths.map(Math.floor);
  rounded[rounded.length - 1] += total - rounded.reduce((a, b) => a + b, 0);
  return rounded;
}

/** Text of a cell for formats without typed cells: numbers plainly (no grouping), null empty. */
export function cellText(cell: ReportCell | undefined): string {
  if (cell === null || cell === undefined) return '';
  return typeof cell === 'number' ? String(cell) : cell;
}
