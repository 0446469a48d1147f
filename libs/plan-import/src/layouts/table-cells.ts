import { collapse } from '../text';

/**
 * Two ways the sources print a table as text:
 * - "lone pipe": each cell is one or more lines, cells separated by a line holding only "|";
 * - "trailing pipe": each cell is one or more lines, the last one ending in " |".
 * Both become a flat list of cell texts, line breaks inside a cell joined by a space.
 */
export type CellStyle = 'lone-pipe' | 'trailing-pipe' | 'markdown';

/**
 * "| 1 | Nhiệm vụ | Sở Y tế |": a whole row on one line, at least three pipes. Tested by hand: the expression
 * /^\s*\|.*\|.*\|\s*$/ backtracked over every pair of pipes of a line that does not end in one (quadratic).
 */
const isMarkdownRow = (line: string): boolean => {
  const row = line.trim();
  return row.startsWith('|') && row.endsWith('|') && row.split('|').length > 3;
};
/** "|---|:---:|": the line under a Markdown header. */
const MARKDOWN_RULE = /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$/;

export const detectCellStyle = (lines: readonly string[]): CellStyle | null => {
  if (lines.some((line) => MARKDOWN_RULE.test(line)) && lines.filter(isMarkdownRow).length >= 2) return 'markdown';
  const lone = lines.filter((line) => line.trim() === '|').length;
  const trailing = lines.filter((line) => /\S\s*\|\s*$/.test(line)).length;
  if (lone >= 3 && lone >= trailing) return 'lone-pipe';
  if (trailing >= 3) return 'trailing-pipe';
  return null;
};

/** Markdown rows: one cell per column; escaped pipes ("\\|") stay inside their cell, <br> breaks a line. */
const markdownCells = (lines: readonly string[]): Cell[] => {
  const cells: Cell[] = [];
  lines.forEach((line, index) => {
    if (!isMarkdownRow(line) || MARKDOWN_RULE.test(line)) return;
    const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '');
    for (const text of inner.split(/(?<!\\)\|/)) {
      cells.push({
        lines: text
          .replace(/\\\|/g, '|')
          .split(/<br\s*\/?>/i)
          .map((part) => part.trim())
          .filter(Boolean),
        at: index,
      });
    }
  });
  return cells;
};

/** A cell's lines and the index (in the lines given to `toCells`) of its first line. */
export type Cell = { readonly lines: readonly string[]; readonly at: number };

export const toCells = (lines: readonly string[], style: CellStyle): Cell[] => {
  if (style === 'markdown') return markdownCells(lines);
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
      // Not /\s*\|\s*$/: it retried every space of a long run inside the line (quadratic).
      add(line.replace(/\|\s*$/, '').trimEnd(), index);
      close(index);
    } else if (line !== '') {
      add(line, index);
    }
  });
  if (current.length > 0) close(lines.length);
  return cells;
};

export const cellText = (cell: Cell | readonly string[]): string => collapse(('lines' in cell ? cell.lines : (cell as readonly string[])).join(' '));
