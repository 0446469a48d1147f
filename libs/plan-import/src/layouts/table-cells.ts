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

/** A cell's lines and the index (in the lines given to `toCells`) of its first line. */
export type Cell = { readonly lines: readonly string[]; readonly at: number };

export const toCells = (lines: readonly string[], style: CellStyle): Cell[] => {
  const cells: Cell[] = [];
  let current: string[] = [];
  let at = -1;
  const add = (line: string, index: number): void => {
    if (current.length === 0) at = index;
    current.push(line);
  };
  const close = (index: number): void => {
    cells.push({ lines: current, at: at === -1 ? index : at });
    current = [];
    at = -1;
  };
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (style === 'lone-pipe') {
      if (line === '|') close(index);
      else if (line !== '') add(line, index);
    } else if (/\|\s*$/.test(line)) {
      add(line.replace(/\s*\|\s*$/, ''), index);
      close(index);
    } else if (line !== '') {
      add(line, index);
    }
  });
  if (current.length > 0) close(lines.length);
  return cells;
};

export const cellText = (cell: Cell | readonly string[]): string =>
  collapse(('lines' in cell ? cell.lines : (cell as readonly string[])).join(' '));
