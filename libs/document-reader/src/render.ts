import type { Block, LineSource, Provenance, ReadDocument, Table, TableCell } from './document';

/**
 * Blocks as the text the plan parser (libs/plan-import parsePlan) reads today: one paragraph per line,
 * Word's numbering in front; tables in the form legal-text captures print them (each cell's lines, then
 * a line holding only `|`; one more `|` line between rows). Blocks that know their source line (text
 * sources) are put back on that line, blank lines filling the gap, so the parser's line references are
 * those of the file.
 */
export const renderForParser = (doc: ReadDocument): string => renderWithSources(doc).text;

/**
 * The text renderForParser gives, and where each of its lines came from (`sources[i]` for the line at
 * 0-based index i): the page and box of the paragraph or table cell it prints, for paged formats (PDF,
 * scans); null for lines no block on a page printed (separators, gap fillers, formats without pages).
 * The importer shows each task's source with it: its page and where on the page.
 */
export const renderWithSources = (doc: ReadDocument): { text: string; sources: (LineSource | null)[] } => {
  const out = new Rendered();
  const placeAt = (line: number | undefined): void => {
    if (line === undefined) return;
    while (out.length < line - 1) out.push('');
  };
  let previous: Block['kind'] | null = null;
  // The header of the table being printed: a table right after another (a PDF's table cut by a page
  // break) continues it, and a page that prints the header again does not make that a row.
  let header: string | null = null;
  for (const block of doc.blocks) {
    if (block.kind === 'page-break') continue;
    if (block.kind === 'paragraph') {
      placeAt(block.from?.line);
      const text = block.numbering ? `${block.numbering} ${block.text}` : block.text;
      out.pushFrom(block.from, ...text.split('\n'));
      previous = 'paragraph';
      continue;
    }
    // Text before a table is not one of its cells: a `|` line closes it.
    if (previous === 'paragraph' && out.length > 0 && out.last().trim() !== '|') out.push('|');
    const first = block.rows.length > 0 ? rowText(block.rows[0]) : null;
    const continues = previous === 'table' && header !== null;
    // A continuation's rows are more rows of the table (its header, printed again, is not one).
    renderTable(block, out, placeAt, continues ? { after: true, skip: first === header ? 1 : 0 } : { after: false, skip: 0 });
    if (!continues) header = first;
    previous = 'table';
  }
  return { text: out.lines.join('\n') + '\n', sources: out.sources };
};

/** Lines being rendered, each with the page and box it came from (null when none). */
class Rendered {
  readonly lines: string[] = [];
  readonly sources: (LineSource | null)[] = [];
  get length(): number {
    return this.lines.length;
  }
  last(): string {
    return this.lines[this.lines.length - 1];
  }
  push(...lines: string[]): void {
    this.pushFrom(undefined, ...lines);
  }
  pushFrom(from: Provenance | undefined, ...lines: string[]): void {
    const source: LineSource | null = from?.page === undefined ? null : { page: from.page, ...(from.box ? { box: from.box } : {}) };
    for (const line of lines) {
      this.lines.push(line);
      this.sources.push(source);
    }
  }
}

/** A row's text for comparing headers: cells' words, case and spacing aside. */
const rowText = (row: readonly TableCell[]): string => row.map((cell) => cell.text.replace(/\s+/g, ' ').trim().toLowerCase()).join(' | ');

/** "(1) (2) (3) …" or "1 2 3 …" under a table's header: column numbers, not a row of the table. */
const isColumnNumberRow = (row: readonly TableCell[]): boolean => {
  const texts = row.map((cell) => cell.text.trim()).filter((text) => text !== '');
  return texts.length >= 3 && texts.every((text, index) => text === `(${index + 1})` || text === String(index + 1));
};

/** A line of a cell that holds only `|` would close the cell early. */
const cellLines = (text: string): string[] => (text === '' ? [] : text.split('\n').map((line) => (line.trim() === '|' ? '¦' : line)));

/**
 * `after`: the table continues rows already printed, so its first row is separated from them as rows
 * are; `skip`: leading rows not printed (the header a continued table repeats).
 */
const renderTable = (table: Table, out: Rendered, placeAt: (line: number | undefined) => void, { after, skip }: { after: boolean; skip: number }): void => {
  let rowsPrinted = 0;
  // Cells merged down (rowSpan) are printed in every row they cover, so each row keeps its columns and
  // its lead; the first column is left empty there (a repeated number would read as a row of its own).
  const carried = new Map<number, { cell: TableCell; left: number }>();
  table.rows.forEach((row, r) => {
    const printed: TableCell[] = [];
    let column = 0;
    let index = 0;
    const takeCarried = (): boolean => {
      const carry = carried.get(column);
      if (!carry) return false;
      printed.push(column === 0 ? { text: '' } : { text: carry.cell.text, ...(carry.cell.from ? { from: carry.cell.from } : {}) });
      column += carry.cell.colSpan ?? 1;
      if (--carry.left === 0) carried.delete(columnOf(carried, carry));
      return true;
    };
    while (index < row.length || carried.size > 0) {
      if (takeCarried()) continue;
      if (index >= row.length) {
        // Carried cells to the right of the row's last cell.
        const next = [...carried.keys()].filter((key) => key > column).sort((a, b) => a - b)[0];
        if (next === undefined) break;
        column = next;
        continue;
      }
      const cell = row[index++];
      printed.push(cell);
      if ((cell.rowSpan ?? 1) > 1) carried.set(column, { cell, left: (cell.rowSpan ?? 1) - 1 });
      column += cell.colSpan ?? 1;
    }
    if (r < skip || isColumnNumberRow(printed)) return;
    if ((rowsPrinted++ > 0 || after) && out.length > 0) out.push('|');
    for (const cell of printed) {
      placeAt(cell.from?.line);
      out.pushFrom(cell.from ?? table.from, ...cellLines(cell.text));
      out.push('|');
    }
  });
};

const columnOf = (carried: Map<number, { cell: TableCell; left: number }>, carry: { cell: TableCell; left: number }): number => {
  for (const [key, value] of carried) if (value === carry) return key;
  return -1;
};
