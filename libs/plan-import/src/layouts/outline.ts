import { collapse, isUpperCaseLine } from '../text';

/**
 * A body section read as an outline: numbered headings ("I.", "1.", "1.2.", "a.", "a)"), "- " bullets,
 * plain paragraphs, and the unit lines district plans put under their tasks ("- Đơn vị thực hiện: …").
 * Works on documents that print one paragraph per line (blank lines optional).
 */
export type UnitLines = {
  lead?: string;
  coordinators?: string;
  deadline?: string;
  deliverable?: string;
};

/** A paragraph or bullet and the 0-based index of the document line it starts on; a bullet's own unit lines, when it has any. */
export type Passage = { text: string; readonly at: number; units?: UnitLines };

export type OutlineNode = {
  readonly number: string;
  /** 0-based index of the heading's line in the document (-1 for a section root). */
  readonly at: number;
  readonly text: string;
  readonly style: string;
  readonly children: OutlineNode[];
  /** Bullets with their continuation paragraphs joined. */
  readonly bullets: Passage[];
  /** Paragraphs met before the first bullet. */
  readonly paragraphs: Passage[];
  readonly units: UnitLines;
  /** The unit lines met before the node's first bullet. */
  readonly headUnits: UnitLines;
};

const HEADING = /^((?:[IVX]+|[A-Z]|[a-zđ]|\d+(?:\.\d+)*)[.)])\s*(\S.*)$/u;
const BULLET = /^[-–•+]\s*(\S.*)$/u;
const UNIT_PATTERNS: ReadonlyArray<readonly [keyof UnitLines, RegExp]> = [
  ['coordinators', /^[-–•+]?\s*(?:đơn vị|cơ quan) phối hợp(?: thực hiện)?\s*:\s*(.*)$/iu],
  ['lead', /^[-–•+]?\s*(?:đơn vị|cơ quan) (?:thực hiện|chủ trì)(?: thực hiện)?\s*:\s*(.*)$/iu],
  ['deadline', /^[-–•+]?\s*(?:thời gian|thời hạn)(?: thực hiện| hoàn thành)?\s*:\s*(.*)$/iu],
  ['deliverable', /^[-–•+]?\s*(?:sản phẩm|kết quả)\s*:\s*(.*)$/iu],
];

const styleOf = (number: string): string => {
  const bare = number.slice(0, -1);
  const close = number.slice(-1);
  if (/^\d+(\.\d+)*$/.test(bare)) return `arabic${bare.split('.').length}${close}`;
  if (/^[IVX]+$/.test(bare)) return `roman${close}`;
  if (/^[A-Z]$/.test(bare)) return `upper${close}`;
  return `lower${close}`;
};

const node = (number: string, text: string, style: string, at: number): OutlineNode => ({
  number,
  at,
  text,
  style,
  children: [],
  bullets: [],
  paragraphs: [],
  units: {},
  headUnits: {},
});

/** Parses section lines under `root`; heading depth follows the order styles first appear in. */
export const readOutline = (root: OutlineNode, lines: readonly string[], offset = 0): OutlineNode => {
  const styleOrder: string[] = [];
  const stack: OutlineNode[] = [root];
  // Nodes whose bullets so far are "- " ones (not "+ ").
  const dashed = new Set<OutlineNode>();
  for (const [index, raw] of lines.entries()) {
    const at = offset + index;
    const line = collapse(raw);
    if (line === '') continue;
    const top = stack[stack.length - 1];
    const unit = UNIT_PATTERNS.find(([, pattern]) => pattern.test(line));
    if (unit) {
      const value = collapse(unit[1].exec(line)![1]);
      top.units[unit[0]] = value;
      const bullet = top.bullets[top.bullets.length - 1];
      if (bullet) (bullet.units ??= {})[unit[0]] = value;
      else top.headUnits[unit[0]] = value;
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const style = styleOf(heading[1]);
      if (!styleOrder.includes(style)) styleOrder.push(style);
      const depth = styleOrder.indexOf(style) + 1;
      while (stack.length > depth) stack.pop();
      while (stack.length < depth) stack.push(stack[stack.length - 1]);
      const child = node(heading[1].slice(0, -1), heading[2], style, at);
      stack[stack.length - 1].children.push(child);
      stack.push(child);
      continue;
    }
    const bullet = BULLET.exec(line);
    if (bullet) {
      // "- Tham mưu UBND tỉnh:" then "+ Phương án …", "+ Mức vốn …": the "+" items detail the "-" one above.
      if (line.startsWith('+') && dashed.has(top)) {
        top.bullets[top.bullets.length - 1].text += ` ${line}`;
        continue;
      }
      if (!line.startsWith('+')) dashed.add(top);
      top.bullets.push({ text: bullet[1], at });
      continue;
    }
    // A paragraph after a bullet continues it; before any bullet it introduces the heading.
    if (top.bullets.length > 0) {
      top.bullets[top.bullets.length - 1].text += ` ${line}`;
    } else {
      top.paragraphs.push({ text: line, at });
    }
  }
  return root;
};

/**
 * The unit lines that hold for one of a node's passages. When several of its bullets are each followed by
 * their own ("- Tuyên truyền …" / "Thời gian thực hiện: Tháng 11/2025", "- Tổng hợp …" / "Thời gian hoàn
 * thành: Trước ngày 31/5/2026"), each bullet has its own; otherwise the node's lines hold for all of them
 * (one "Thời gian thực hiện" closing a list of bullets, say).
 */
export const unitsFor = (node: OutlineNode, passage: Passage): UnitLines => {
  const own = node.bullets.filter((bullet) => bullet.units !== undefined).length;
  return own >= 2 && node.bullets.includes(passage) ? { ...node.headUnits, ...passage.units } : node.units;
};

export const emptyRoot = (number: string, text: string, at = -1): OutlineNode => node(number, text, 'root', at);

/** Top-level sections: upper-case numbered lines ("II. NHIỆM VỤ VÀ GIẢI PHÁP", "2. NỘI DUNG NHIỆM VỤ…"). */
export const topSections = (lines: readonly string[], from: number): { number: string; title: string; start: number; end: number }[] => {
  const found: { number: string; title: string; start: number }[] = [];
  for (let i = from; i < lines.length; i++) {
    const line = lines[i].trim();
    const match = /^([IVX]+|[A-Z]|\d+)\.\s*(\S.*)$/u.exec(line);
    if (match && isUpperCaseLine(match[2]) && match[2].length > 3) found.push({ number: match[1], title: collapse(match[2]), start: i });
  }
  const end = lines.findIndex((line, i) => i >= from && /^(Nơi nhận|TM\.|PHỤ LỤC)(?=[\s:|]|$)/u.test(line.trim()));
  return found
    .filter((section) => end === -1 || section.start < end)
    .map((section, k, all) => ({ ...section, end: k + 1 < all.length ? all[k + 1].start : end === -1 ? lines.length : end }));
};
