import { type Block, DocumentReadError, type Paragraph, type ReadDocument, type ReadWarning, type Table, type TableCell } from './document';
import { child, elements, isOn, parseXml, val, type XmlElement } from './xml';
import { DEFAULT_ZIP_LIMITS, readZipParts, type ZipLimits } from './zip';

/**
 * Word 2007+ (.docx) read from its OOXML: paragraphs with Word's automatic numbering as it shows
 * ("1.", "a)", "-", "I."), headings and bold, soft line breaks; tables with merged cells (w:gridSpan,
 * w:vMerge); tracked insertions kept and deletions dropped; drawings, text boxes, hidden text and
 * field codes left out; section breaks (a landscape appendix) ignored. Only word/document.xml,
 * word/numbering.xml and word/styles.xml are unpacked.
 */

type Level = { start: number; format: string; text: string; legal: boolean };
type Numbering = {
  abstracts: Map<string, Level[]>;
  nums: Map<string, { abstractId: string; starts: Map<number, number>; levels: Map<number, Level> }>;
};
type Style = { basedOn?: string; numId?: string; ilvl?: number; heading?: number; bold?: boolean; centered?: boolean };

const toLevel = (lvl: XmlElement): Level => ({
  start: Number(val(lvl, 'w:start') ?? '0'),
  format: val(lvl, 'w:numFmt') ?? 'decimal',
  text: val(lvl, 'w:lvlText') ?? '',
  legal: isOn(lvl, 'w:isLgl'),
});

const readNumbering = (root: XmlElement | null): Numbering => {
  const numbering: Numbering = { abstracts: new Map(), nums: new Map() };
  if (!root) return numbering;
  for (const abstract of elements(root, 'w:abstractNum')) {
    const levels: Level[] = [];
    for (const lvl of elements(abstract, 'w:lvl')) levels[Number(lvl.attrs['w:ilvl'] ?? '0')] = toLevel(lvl);
    numbering.abstracts.set(abstract.attrs['w:abstractNumId'], levels);
  }
  for (const num of elements(root, 'w:num')) {
    const starts = new Map<number, number>();
    const levels = new Map<number, Level>();
    for (const override of elements(num, 'w:lvlOverride')) {
      const ilvl = Number(override.attrs['w:ilvl'] ?? '0');
      const start = val(override, 'w:startOverride');
      if (start !== undefined) starts.set(ilvl, Number(start));
      const lvl = child(override, 'w:lvl');
      if (lvl) levels.set(ilvl, toLevel(lvl));
    }
    numbering.nums.set(num.attrs['w:numId'], { abstractId: val(num, 'w:abstractNumId') ?? '', starts, levels });
  }
  return numbering;
};

const readStyles = (root: XmlElement | null): Map<string, Style> => {
  const styles = new Map<string, Style>();
  if (!root) return styles;
  for (const style of elements(root, 'w:style')) {
    const id = style.attrs['w:styleId'];
    const pPr = child(style, 'w:pPr');
    const numPr = child(pPr, 'w:numPr');
    const name = (val(style, 'w:name') ?? '').toLowerCase();
    const headingMatch = /^heading\s*(\d)$/.exec(name) ?? /^Heading(\d)$/.exec(id);
    const outline = val(pPr, 'w:outlineLvl');
    styles.set(id, {
      basedOn: val(style, 'w:basedOn'),
      numId: val(numPr, 'w:numId'),
      ilvl: val(numPr, 'w:ilvl') === undefined ? undefined : Number(val(numPr, 'w:ilvl')),
      heading: headingMatch ? Number(headingMatch[1]) : outline !== undefined && Number(outline) < 9 ? Number(outline) + 1 : undefined,
      bold: child(child(style, 'w:rPr'), 'w:b') ? isOn(child(style, 'w:rPr'), 'w:b') : undefined,
      centered: val(pPr, 'w:jc') === 'center' ? true : undefined,
    });
  }
  return styles;
};

/** A style's property, looked up through its w:basedOn chain. */
const styleProp = <K extends keyof Style>(styles: Map<string, Style>, id: string | undefined, key: K): Style[K] | undefined => {
  for (let depth = 0; id !== undefined && depth < 20; depth++) {
    const style = styles.get(id);
    if (!style) return undefined;
    if (style[key] !== undefined) return style[key];
    id = style.basedOn;
  }
  return undefined;
};

const ROMAN: [number, string][] = [
  [1000, 'M'],
  [900, 'CM'],
  [500, 'D'],
  [400, 'CD'],
  [100, 'C'],
  [90, 'XC'],
  [50, 'L'],
  [40, 'XL'],
  [10, 'X'],
  [9, 'IX'],
  [5, 'V'],
  [4, 'IV'],
  [1, 'I'],
];
const roman = (value: number): string => {
  let rest = value;
  let out = '';
  for (const [amount, digits] of ROMAN) while (rest >= amount) ((out += digits), (rest -= amount));
  return out;
};
const letters = (value: number): string => {
  // Word's a…z, then aa…zz, bbb…
  const letter = String.fromCharCode(97 + ((value - 1) % 26));
  return letter.repeat(Math.floor((value - 1) / 26) + 1);
};

const formatNumber = (value: number, format: string): string => {
  switch (format) {
    case 'lowerLetter':
      return value > 0 ? letters(value) : '';
    case 'upperLetter':
      return value > 0 ? letters(value).toUpperCase() : '';
    case 'lowerRoman':
      return value > 0 ? roman(value).toLowerCase() : '';
    case 'upperRoman':
      return value > 0 ? roman(value) : '';
    case 'decimalZero':
      return value < 10 ? `0${value}` : String(value);
    case 'none':
      return '';
    default:
      return String(value);
  }
};

/** A bullet as text: a dash or plus as it is; Symbol/Wingdings glyphs (private-use code points) as "-". */
const bulletText = (text: string): string => {
  const trimmed = text.trim();
  if (trimmed === '') return '';
  return /^[-+•–—*·o]$/u.test(trimmed) ? (trimmed === '·' || trimmed === 'o' ? '•' : trimmed) : '-';
};

/** Word's list counters, as the document's paragraphs reach them in order. */
class ListCounter {
  private readonly counters = new Map<string, (number | undefined)[]>();

  constructor(private readonly numbering: Numbering) {}

  /** The label a paragraph with this w:numId / w:ilvl shows, or null when it shows none. */
  next(numId: string, ilvl: number): string | null {
    const num = this.numbering.nums.get(numId);
    if (!num) return null;
    const base = this.numbering.abstracts.get(num.abstractId) ?? [];
    const levelOf = (l: number): Level | undefined => num.levels.get(l) ?? base[l];
    const level = levelOf(ilvl);
    if (!level) return null;
    // Lists that share an abstract numbering continue each other unless one restarts (w:startOverride).
    const key = num.starts.size > 0 ? `num:${numId}` : `abstract:${num.abstractId}`;
    const startOf = (l: number): number => num.starts.get(l) ?? levelOf(l)?.start ?? 1;
    let counters = this.counters.get(key);
    if (!counters) this.counters.set(key, (counters = []));
    counters[ilvl] = counters[ilvl] === undefined ? startOf(ilvl) : counters[ilvl]! + 1;
    for (let l = ilvl + 1; l < 9; l++) counters[l] = undefined;
    if (level.format === 'bullet') return bulletText(level.text);
    const label = level.text.replace(/%(\d)/g, (_, digit: string) => {
      const l = Number(digit) - 1;
      const value = counters![l] ?? startOf(l);
      const format = level.legal ? 'decimal' : (levelOf(l)?.format ?? 'decimal');
      return formatNumber(value, format);
    });
    return label.trim() === '' ? null : label.trim();
  }
}

type Context = { styles: Map<string, Style>; counter: ListCounter; warnings: ReadWarning[] };

/** Elements whose content is not the document's text (drawings, text boxes, deleted text, field codes). */
const SKIPPED = new Set([
  'w:del',
  'w:moveFrom',
  'w:drawing',
  'w:pict',
  'w:object',
  'mc:AlternateContent',
  'w:instrText',
  'w:delText',
  'w:pPr',
  'w:rPr',
  'w:fldChar',
  'w:footnoteReference',
  'w:endnoteReference',
  'w:commentReference',
]);

const SYMBOL_OFFSET = 0xf000;

/** The text of a paragraph's runs, with whether every run that has text is bold. */
const runsText = (paragraph: XmlElement, context: Context, styleBold: boolean): { text: string; bold: boolean } => {
  let text = '';
  let allBold = true;
  let any = false;
  const walk = (node: XmlElement, bold: boolean): void => {
    for (const item of node.children) {
      if (typeof item === 'string') {
        text += item;
        continue;
      }
      if (SKIPPED.has(item.name)) continue;
      if (item.name === 'w:r') {
        const rPr = child(item, 'w:rPr');
        if (isOn(rPr, 'w:vanish')) continue;
        const runBold = child(rPr, 'w:b') ? isOn(rPr, 'w:b') : styleBold;
        const before = text.length;
        walk(item, runBold);
        if (text.slice(before).trim() !== '') {
          any = true;
          if (!runBold) allBold = false;
        }
        continue;
      }
      switch (item.name) {
        case 'w:t':
          walk(item, bold);
          break;
        case 'w:tab':
        case 'w:ptab':
          text += '\t';
          break;
        case 'w:br':
        case 'w:cr':
          // A soft line break (Shift+Enter) is a new line inside the paragraph or cell; a page break, a space.
          text += item.attrs['w:type'] === 'page' || item.attrs['w:type'] === 'column' ? ' ' : '\n';
          break;
        case 'w:noBreakHyphen':
          text += '-';
          break;
        case 'w:softHyphen':
          break;
        case 'w:sym': {
          const code = parseInt(item.attrs['w:char'] ?? '', 16);
          if (Number.isFinite(code)) text += String.fromCodePoint(code >= SYMBOL_OFFSET && code <= SYMBOL_OFFSET + 0xff ? code - SYMBOL_OFFSET : code);
          break;
        }
        default:
          // w:ins, w:moveTo, w:hyperlink, w:smartTag, w:sdt/w:sdtContent, w:fldSimple, w:customXml: their runs count.
          walk(item, bold);
      }
    }
  };
  walk(paragraph, styleBold);
  return { text, bold: any && allBold };
};

const cleanLines = (text: string): string =>
  text
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, (run) => (run.includes('\t') ? ' ' : run)).trim())
    .join('\n')
    .replace(/^\n+|\n+$/g, '');

const readParagraph = (p: XmlElement, context: Context): Paragraph => {
  const pPr = child(p, 'w:pPr');
  const styleId = val(pPr, 'w:pStyle');
  const { styles } = context;
  const numPr = child(pPr, 'w:numPr');
  const numId = val(numPr, 'w:numId') ?? (numPr ? undefined : styleProp(styles, styleId, 'numId'));
  const ilvl = Number(val(numPr, 'w:ilvl') ?? styleProp(styles, styleId, 'ilvl') ?? 0);
  const numbering = numId && numId !== '0' ? context.counter.next(numId, ilvl) : null;
  const styleBold = styleProp(styles, styleId, 'bold') ?? false;
  const { text, bold } = runsText(p, context, styleBold);
  const heading = (val(pPr, 'w:outlineLvl') !== undefined ? Number(val(pPr, 'w:outlineLvl')) + 1 : undefined) ?? styleProp(styles, styleId, 'heading');
  const centered = (val(pPr, 'w:jc') ?? (styleProp(styles, styleId, 'centered') ? 'center' : undefined)) === 'center';
  const style = {
    ...(heading !== undefined && heading <= 9 ? { heading } : {}),
    ...(bold ? { bold: true } : {}),
    ...(centered ? { centered: true } : {}),
  };
  return {
    kind: 'paragraph',
    text: cleanLines(text),
    ...(numbering ? { numbering } : {}),
    ...(Object.keys(style).length > 0 ? { style } : {}),
  };
};

/** Children of containers that only wrap content (content controls, custom XML). */
const unwrap = (node: XmlElement, names: readonly string[]): XmlElement[] =>
  elements(node).flatMap((item) => {
    if (names.includes(item.name)) return [item];
    if (item.name === 'w:sdt') return unwrap(child(item, 'w:sdtContent') ?? item, names);
    if (item.name === 'w:customXml' || item.name === 'w:ins' || item.name === 'w:moveTo') return unwrap(item, names);
    return [];
  });

/** A cell's text: its paragraphs (a number Word puts in an empty cell shows as "1"), nested tables row by row. */
const cellText = (tc: XmlElement, context: Context): string => {
  const parts: string[] = [];
  for (const item of unwrap(tc, ['w:p', 'w:tbl'])) {
    if (item.name === 'w:p') {
      const paragraph = readParagraph(item, context);
      if (paragraph.numbering && paragraph.text === '') parts.push(paragraph.numbering.replace(/^(\w+)[.)]$/u, '$1'));
      else if (paragraph.numbering) parts.push(`${paragraph.numbering} ${paragraph.text}`);
      else if (paragraph.text !== '') parts.push(paragraph.text);
    } else {
      // A table inside a cell: its rows as lines, cells separated by spaces.
      for (const row of readTable(item, context).rows) {
        const line = row
          .map((cell) => cell.text.replace(/\n/g, ' '))
          .filter((text) => text !== '')
          .join(' ');
        if (line !== '') parts.push(line);
      }
    }
  }
  return parts.join('\n');
};

const readTable = (tbl: XmlElement, context: Context): Table => {
  const rows: TableCell[][] = [];
  // The cell that started a vertical merge, by grid column.
  const openMerges = new Map<number, TableCell>();
  for (const tr of unwrap(tbl, ['w:tr'])) {
    const row: TableCell[] = [];
    let column = Number(val(child(tr, 'w:trPr'), 'w:gridBefore') ?? '0');
    for (const tc of unwrap(tr, ['w:tc'])) {
      const tcPr = child(tc, 'w:tcPr');
      const span = Math.max(1, Number(val(tcPr, 'w:gridSpan') ?? '1') || 1);
      const vMerge = child(tcPr, 'w:vMerge');
      const merge = vMerge ? (vMerge.attrs['w:val'] ?? 'continue') : null;
      if (merge === 'continue' && openMerges.has(column)) {
        const origin = openMerges.get(column)!;
        origin.rowSpan = (origin.rowSpan ?? 1) + 1;
        // Word may leave text in a continued cell; it does not show, but numbering counts it: read and drop.
        cellText(tc, context);
        column += span;
        continue;
      }
      const cell: TableCell = { text: cellText(tc, context), ...(span > 1 ? { colSpan: span } : {}) };
      for (let c = column; c < column + span; c++) openMerges.delete(c);
      if (merge === 'restart') openMerges.set(column, cell);
      row.push(cell);
      column += span;
    }
    rows.push(row);
  }
  return { kind: 'table', rows };
};

const bodyBlocks = (container: XmlElement, context: Context, depth = 0): Block[] => {
  const blocks: Block[] = [];
  for (const item of unwrap(container, ['w:p', 'w:tbl'])) {
    if (item.name === 'w:p') {
      const paragraph = readParagraph(item, context);
      if (paragraph.text !== '' || paragraph.numbering) blocks.push(paragraph);
      continue;
    }
    const rows = unwrap(item, ['w:tr']);
    const cells = rows.length === 1 ? unwrap(rows[0], ['w:tc']) : [];
    if (cells.length === 1 && depth < 5) {
      // A one-cell table is a frame around text (a boxed heading, a layout): its content is the document's.
      blocks.push(...bodyBlocks(cells[0], context, depth + 1));
      continue;
    }
    const table = readTable(item, context);
    if (table.rows.some((row) => row.some((cell) => cell.text !== ''))) blocks.push(table);
  }
  return blocks;
};

export type DocxOptions = { zipLimits?: ZipLimits };

export const readDocx = (bytes: Uint8Array, options: DocxOptions = {}): ReadDocument => {
  const parts = readZipParts(bytes, ['word/document.xml', 'word/numbering.xml', 'word/styles.xml'], options.zipLimits ?? DEFAULT_ZIP_LIMITS);
  const documentXml = parts.get('word/document.xml');
  if (!documentXml) throw new DocumentReadError('The Word file is damaged: it has no word/document.xml.', 'document.corrupt');
  const numberingXml = parts.get('word/numbering.xml');
  const stylesXml = parts.get('word/styles.xml');
  const context: Context = {
    styles: readStyles(stylesXml ? parseXml(stylesXml, 'word/styles.xml') : null),
    counter: new ListCounter(readNumbering(numberingXml ? parseXml(numberingXml, 'word/numbering.xml') : null)),
    warnings: [],
  };
  const root = parseXml(documentXml, 'word/document.xml');
  const body = child(root, 'w:body');
  if (!body) throw new DocumentReadError('The Word file is damaged: its document has no body.', 'document.corrupt');
  return { format: 'docx', blocks: bodyBlocks(body, context), warnings: context.warnings };
};
