import { collapse } from '../text';

/**
 * Two ways the sources print a table as text:
 * - "lone pipe": each cell is one or more lines, cells separated by a line holding only "|";
 * - "trailing pipe": each cell is one or more lines, the last one ending in " |".
 * Both become a flat list of cell texts, line breaks inside a cell joined by a space.
 */
export type CellStyle = 'lone-pipe' | 'trailing-pipe';

export const detectCellStyle = (lines: readonly string[]): CellStyle | null => {
  const lone = lines.filter((line) => line.trim() === '|').length;
  const trailing = lines.filter((line) => /\S\s*\|\s*$/.test(line)).length;
  if (lone >= 3 && lone >= trailing) return 'lone-pipe';
  if (trailing >= 3) return 'trailing-pipe';
  return null;
};

export const toCells = (lines: readonly string[], style: CellStyle): string[][] => {
  const cells: string[][] = [];
  let current: string[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (style === 'lone-pipe') {
      if (line === '|') {
        cells.push(current);
        current = [];
      } else if (line !== '') {
        current.push(line);
      }
    } else if (/\|\s*$/.test(line)) {
      current.push(line.replace(/\s*\|\s*$/, ''));
      cells.push(current);
      current = [];
    } else if (line !== '') {
      current.push(line);
    }
  }
  if (current.length > 0) cells.push(current);
  return cells;
};

export const cellText = (cell: readonly string[]): string => collapse(cell.join(' '));
