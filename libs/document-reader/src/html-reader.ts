import { parseDocument } from 'htmlparser2';
import { type Block, DocumentReadError, type Paragraph, type ReadDocument, type Table, type TableCell } from './document';
import { looksBinary } from './text-reader';

/**
 * A web page (a provincial portal's article, a legal-text site's page) read as the document it carries:
 * the site around it (navigation, header, footer, scripts, forms, login and privacy notices) is dropped
 * and the element holding the document's text is found from its content ("Số:", "KẾ HOẠCH", "CHỈ THỊ" …).
 * htmlparser2 (CommonJS, forgiving with the broken markup such pages have) builds the tree and decodes entities.
 */

type Node = { type: string; name?: string; attribs?: Record<string, string>; children?: Node[]; data?: string; parent?: Node | null };

const DROPPED = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'object',
  'embed',
  'nav',
  'header',
  'footer',
  'form',
  'aside',
  'button',
  'select',
  'input',
  'textarea',
  'svg',
  'canvas',
  'link',
  'meta',
  'head',
  'title',
  'img',
  'video',
  'audio',
  'map',
]);
/** Class or id of a site's own parts. */
const SITE_PART =
  /(?:^|[\s_-])(?:menu|nav|navbar|header|footer|sidebar|breadcrumbs?|banner|login|signin|cookie|privacy|advert|ads|social|share|comments?|related|popup|modal|toolbar|search)(?:$|[\s_-])/i;
/** What a Vietnamese administrative document says near its start. */
const DOCUMENT_MARKS = /Số\s*:|KẾ HOẠCH|CHỈ THỊ|QUYẾT ĐỊNH|THÔNG BÁO|CÔNG ĐIỆN|Kính gửi|CỘNG HÒA XÃ HỘI|CỘNG HOÀ XÃ HỘI/u;
/** A site's notices that can sit inside the content element. */
const NOTICE =
  /^(?:Bản dịch này thuộc quyền sở hữu|Đăng nhập|Đăng ký|Quên mật khẩu|Chính sách bảo mật|Điều khoản sử dụng|Bạn (?:chưa|phải) đăng nhập|Vui lòng đăng nhập|Đang tải văn bản|Đang tải nội dung)/iu;

const BLOCK = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'center',
  'blockquote',
  'pre',
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'address',
  'figure',
  'figcaption',
  'body',
  'html',
]);

const elementsOf = (node: Node): Node[] => (node.children ?? []).filter((child) => child.type === 'tag' || child.type === 'script' || child.type === 'style');

const isSitePart = (node: Node): boolean => {
  if (DROPPED.has(node.name ?? '')) return true;
  const label = `${node.attribs?.class ?? ''} ${node.attribs?.id ?? ''} ${node.attribs?.role ?? ''}`;
  return SITE_PART.test(label) || node.attribs?.hidden !== undefined || /display\s*:\s*none/i.test(node.attribs?.style ?? '');
};

/** Text lengths under each element, the site's parts not counted. */
const measure = (node: Node, lengths: Map<Node, number>, texts: Map<Node, string>): number => {
  let total = 0;
  let sample = '';
  for (const child of node.children ?? []) {
    if (child.type === 'text') {
      const text = (child.data ?? '').replace(/\s+/g, ' ');
      total += text.trim().length;
      if (sample.length < 4000) sample += text;
    } else if (child.type === 'tag' && !isSitePart(child)) {
      total += measure(child, lengths, texts);
      if (sample.length < 4000) sample += ` ${texts.get(child) ?? ''}`;
    }
  }
  lengths.set(node, total);
  texts.set(node, sample.slice(0, 4000));
  return total;
};

/** From the body down, into the child holding most of the text while it still holds the document's marks. */
const mainContent = (root: Node): Node => {
  const lengths = new Map<Node, number>();
  const texts = new Map<Node, string>();
  measure(root, lengths, texts);
  let current = root;
  for (let depth = 0; depth < 200; depth++) {
    const total = lengths.get(current) ?? 0;
    const children = elementsOf(current).filter((child) => !isSitePart(child));
    const biggest = children.reduce<Node | null>((best, child) => ((lengths.get(child) ?? 0) > (best ? (lengths.get(best) ?? 0) : -1) ? child : best), null);
    if (!biggest || biggest.name === 'table' || biggest.name === 'tr' || biggest.name === 'td') break;
    const share = (lengths.get(biggest) ?? 0) / Math.max(1, total);
    const marked = DOCUMENT_MARKS.test(texts.get(biggest) ?? '');
    if (share < 0.6 || (!marked && DOCUMENT_MARKS.test(texts.get(current) ?? ''))) break;
    current = biggest;
  }
  return current;
};

type Run = { text: string; bold: boolean };

class BlockWriter {
  readonly blocks: Block[] = [];
  private runs: Run[] = [];
  private heading: number | undefined;
  private numbering: string | undefined;

  text(text: string, bold: boolean): void {
    this.runs.push({ text, bold });
  }

  flush(): void {
    const text = cleanText(this.runs.map((run) => run.text).join(''));
    const visible = this.runs.filter((run) => run.text.trim() !== '');
    if (text !== '' && !NOTICE.test(text)) {
      const bold = visible.length > 0 && visible.every((run) => run.bold);
      const style = { ...(this.heading ? { heading: this.heading } : {}), ...(bold ? { bold: true } : {}) };
      const paragraph: Paragraph = {
        kind: 'paragraph',
        text,
        ...(this.numbering ? { numbering: this.numbering } : {}),
        ...(Object.keys(style).length ? { style } : {}),
      };
      this.blocks.push(paragraph);
    }
    this.runs = [];
    this.numbering = undefined;
  }

  startBlock(heading?: number, numbering?: string): void {
    this.flush();
    this.heading = heading;
    this.numbering = numbering;
  }
}

/** Whitespace as a browser shows it: runs collapsed; line breaks (<br>) kept. */
const cleanText = (text: string): string =>
  text
    .split('\n')
    .map((line) => line.replace(/[\s\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{2,}/g, '\n')
    .replace(/^\n+|\n+$/g, '');

const walk = (node: Node, writer: BlockWriter, bold: boolean, depth: number): void => {
  for (const child of node.children ?? []) {
    if (child.type === 'text') {
      writer.text(child.data ?? '', bold);
      continue;
    }
    if (child.type !== 'tag' || isSitePart(child) || depth > 200) continue;
    const name = child.name ?? '';
    if (name === 'br') {
      writer.text('\n', bold);
      continue;
    }
    if (name === 'table') {
      writer.flush();
      const table = readTable(child, depth);
      if (table.rows.length === 1 && table.rows[0].length === 1) {
        // A one-cell table is the page's layout, not a table of the document.
        walk(cellNode(child) ?? child, writer, bold, depth + 1);
        writer.flush();
      } else if (table.rows.some((row) => row.some((cell) => cell.text !== ''))) writer.blocks.push(table);
      continue;
    }
    const isBold = bold || name === 'b' || name === 'strong' || /font-weight\s*:\s*(?:bold|[6-9]00)/i.test(child.attribs?.style ?? '');
    if (BLOCK.has(name)) {
      const heading = /^h([1-6])$/.exec(name);
      writer.startBlock(heading ? Number(heading[1]) : undefined, name === 'li' ? listLabel(child) : undefined);
      walk(child, writer, isBold, depth + 1);
      writer.flush();
    } else {
      walk(child, writer, isBold, depth + 1);
    }
  }
};

/** "1." for the n-th item of an <ol> (start, type honoured), "-" in a <ul>. */
const listLabel = (li: Node): string => {
  const list = li.parent;
  if (!list || list.name !== 'ol') return '-';
  const items = elementsOf(list).filter((item) => item.name === 'li');
  const value = Number(list.attribs?.start ?? '1') + items.indexOf(li);
  const type = list.attribs?.type ?? '1';
  const label = type === 'a' ? String.fromCharCode(96 + value) : type === 'A' ? String.fromCharCode(64 + value) : String(value);
  return type === 'a' || type === 'A' ? `${label})` : `${label}.`;
};

const rowsOf = (table: Node): Node[] =>
  elementsOf(table).flatMap((child) =>
    child.name === 'tr' ? [child] : ['thead', 'tbody', 'tfoot'].includes(child.name ?? '') ? elementsOf(child).filter((row) => row.name === 'tr') : [],
  );

const cellNode = (table: Node): Node | undefined => rowsOf(table)[0] && elementsOf(rowsOf(table)[0]).find((cell) => cell.name === 'td' || cell.name === 'th');

const readTable = (table: Node, depth: number): Table => {
  const rows: TableCell[][] = [];
  for (const tr of rowsOf(table)) {
    const row: TableCell[] = [];
    for (const td of elementsOf(tr).filter((cell) => cell.name === 'td' || cell.name === 'th')) {
      const writer = new BlockWriter();
      walk(td, writer, td.name === 'th', depth + 1);
      writer.flush();
      const text = writer.blocks
        .map((block) =>
          block.kind === 'paragraph'
            ? `${block.numbering ? `${block.numbering} ` : ''}${block.text}`
            : block.kind === 'table'
              ? block.rows
                  .map((cells) =>
                    cells
                      .map((cell) => cell.text.replace(/\n/g, ' '))
                      .filter(Boolean)
                      .join(' '),
                  )
                  .join('\n')
              : '',
        )
        .filter((part) => part !== '')
        .join('\n');
      const colSpan = Math.min(1000, Math.max(1, Number(td.attribs?.colspan ?? '1') || 1));
      const rowSpan = Math.min(65534, Math.max(1, Number(td.attribs?.rowspan ?? '1') || 1));
      row.push({ text, ...(colSpan > 1 ? { colSpan } : {}), ...(rowSpan > 1 ? { rowSpan } : {}) });
    }
    if (row.length > 0) rows.push(row);
  }
  return { kind: 'table', rows };
};

/** The page's text: a BOM first, then the charset its <meta> declares, else UTF-8. */
export const decodeHtml = (bytes: Uint8Array): string => {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('latin1');
  const declared = /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head)?.[1]?.toLowerCase();
  const label = declared && declared !== 'utf-8' && declared !== 'utf8' ? declared : 'utf-8';
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    throw new DocumentReadError(`The web page declares a character set the importer does not know ("${declared}"): save it as UTF-8.`, 'document.unsupported');
  }
};

export const readHtml = (bytes: Uint8Array): ReadDocument => {
  const html = decodeHtml(bytes);
  if (looksBinary(html)) throw new DocumentReadError('The file is not a web page: it holds binary data.', 'document.unsupported');
  const root = parseDocument(html) as unknown as Node;
  const body = findBody(root) ?? root;
  const writer = new BlockWriter();
  walk(mainContent(body), writer, false, 0);
  writer.flush();
  if (writer.blocks.length === 0) throw new DocumentReadError('The web page holds no text of a document.', 'document.empty');
  return { format: 'html', blocks: writer.blocks, warnings: [] };
};

const findBody = (node: Node): Node | undefined => {
  const stack = [node];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current.type === 'tag' && current.name === 'body') return current;
    stack.push(...elementsOf(current));
  }
  return undefined;
};
