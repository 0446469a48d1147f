import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DocumentReadError, type Block, type ReadDocument } from './document';
import { budgetOf, runTool, withTempDir, type PagedReadOptions } from './external-tools';

/**
 * Word 97–2003 (.doc) through antiword (Debian package antiword), run as a child process with a time
 * and memory limit. On the corpus' .doc files antiword reads the Vietnamese text right where catdoc
 * garbles it (stack notes), and it needs no office suite in the image. `-w 0` prints each paragraph on
 * one line; a table comes out one line per row (or per paragraph of a cell), cells between `|`.
 */

/** OLE2 compound file, the container of every Word 97–2003 document. */
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

const isTableLine = (line: string) => /^\s*\|.*\|\s*$/.test(line);
const cellsOf = (line: string) =>
  line
    .trim()
    .slice(1, -1)
    .split('|')
    .map((cell) => cell.trim());

/** antiword's text output into blocks: `|`-rows into tables, every other non-empty line a paragraph. */
export const parseAntiword = (text: string): Block[] => {
  const blocks: Block[] = [];
  const lines = text.replace(/\f/g, '\n').split('\n');
  for (let i = 0; i < lines.length;) {
    if (isTableLine(lines[i])) {
      const rows: string[][] = [];
      for (; i < lines.length && isTableLine(lines[i]); i++) {
        const cells = cellsOf(lines[i]);
        if (cells.some((cell) => cell !== '')) rows.push(cells);
      }
      // A one-cell "table" is a framed word or a text box ("DỰ THẢO"): a paragraph.
      if (rows.every((row) => row.length === 1)) {
        for (const [cell] of rows) blocks.push({ kind: 'paragraph', text: cell });
      } else if (rows.length > 0) {
        blocks.push({ kind: 'table', rows: rows.map((row) => row.map((cell) => ({ text: cell }))) });
      }
      continue;
    }
    const text = lines[i].replace(/\s+/g, ' ').trim();
    // antiword stands in "[pic]" for a picture.
    if (text !== '' && text !== '[pic]') blocks.push({ kind: 'paragraph', text });
    i++;
  }
  return blocks;
};

export const readDoc = async (bytes: Uint8Array, options: PagedReadOptions = {}): Promise<ReadDocument> => {
  if (bytes.length === 0) throw new DocumentReadError('The file is empty', 'document.empty');
  if (!OLE2.every((b, i) => bytes[i] === b)) throw new DocumentReadError('The file is not a Word 97–2003 document', 'document.corrupt');
  const budget = budgetOf(options);
  return withTempDir(async (dir) => {
    const file = join(dir, 'document.doc');
    await writeFile(file, bytes);
    const run = await runTool('antiword', ['-w', '0', '-m', 'UTF-8.txt', file], budget);
    const text = run.stdout.toString('utf8');
    if (run.code !== 0 || text.trim() === '') {
      const reason = run.stderr.trim().split('\n')[0]?.replace(file, 'the file') || 'antiword read no text';
      throw new DocumentReadError(`The Word 97–2003 document cannot be read: ${reason}`, 'document.corrupt');
    }
    return { format: 'doc', blocks: parseAntiword(text), warnings: [] };
  });
};
