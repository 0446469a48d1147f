import type { AgencyRef } from '@mandate/plans-domain';
import { splitAgencyList } from '../agency-resolver';
import type { ParsedTask } from '../parsed-plan';
import { collapse, fold } from '../text';
import { addressOf } from './agency-address';
import { emptyRoot, readOutline, topSections, unitsFor, type OutlineNode, type Passage } from './outline';
import { keyValueTasks } from './key-value-tasks';

export { addressOf } from './agency-address';
import { makeTask, type ReadContext } from './outline-tasks';

/**
 * Directives, công văn and the "Tổ chức thực hiện" part of plans address their duties to agencies by
 * numbered headings: "1. Sở Tư pháp:", "2. Thủ trưởng các sở, ban, ngành tỉnh; Chủ tịch UBND các xã,
 * phường", "1.1. Giao Công an Thành phố", "3. Đề nghị Ủy ban Mặt trận Tổ quốc …", with the duties as "- "
 * bullets, a) b) items or paragraphs under them; or inline: "3. Bộ trưởng Bộ Công Thương hoàn thành …".
 * The heading is recognised by its shape (an agency word and a capitalised name, a role in front of it),
 * not by the city's directory: the documents of other provinces name agencies no directory holds yet,
 * and an unknown name is kept (unresolved), never dropped.
 */

const ROLE = /^(?:thủ trưởng|giám đốc|chủ tịch|bộ trưởng|người đứng đầu|lãnh đạo)\s+/iu;

const leadsOf = (agencies: string, context: ReadContext): { lead: AgencyRef | null; coordinators: AgencyRef[] } => {
  const refs = splitAgencyList(agencies, context.directory);
  const lead = refs[0] ?? null;
  // Addressed to the heads of a group ("Thủ trưởng các sở, ban, ngành"): the text keeps the role as written.
  const role = ROLE.exec(agencies);
  const written = lead && lead.resolution !== 'resolved' && role && !ROLE.test(lead.text) ? { ...lead, text: `${role[0]}${lead.text}` } : lead;
  return { lead: written, coordinators: refs.slice(1) };
};

// Sections that state purposes, targets or money, not duties.
const NOT_DUTIES = /^(?:muc dich|yeu cau|muc tieu|chi tieu|kinh phi|can cu|tinh hinh|ket qua|danh gia|doi tuong|pham vi|phuong phap|thoi gian)/;

// A heading that names a topic rather than work ("Trách nhiệm chung", "Về công tác tuyên truyền:").
const isCaption = (text: string): boolean => /:\s*$/.test(text) || collapse(text).split(' ').length <= 6;

/**
 * Lines a source wrapped mid-sentence ("a) Thực hiện nghiêm việc cải" / "cách TTHC, …"), joined back: a line
 * not ending a sentence followed by one starting in lower case. Joined lines are blanked so that line
 * numbers stay those of the document. (The readers re-join captures; plain text imported as is may not be.)
 */
// A line that starts an item of its own: "1.", "1.2.", "a)", "đ.", "(1)", "II.", "- ", "+ ".
const ITEM = /^(?:[-–•+]|\(\d+\)|\(?(?:\d+(?:\.\d+)*|[a-zđ])[.)]|[IVX]+\.)(?=\s|$)/u;

const isAddressee = (line: string): boolean => {
  const item = ITEM.exec(line);
  return item !== null && addressOf(line.slice(item[0].length))?.rest === '';
};

const unwrap = (lines: readonly string[], proseEnd: number): string[] => {
  const out = lines.map((line) => line);
  // Text whose paragraphs are set apart by blank lines (a capture as written): a line right under another
  // continues its paragraph whatever its first letter, unless it starts an item. Judged on the prose before
  // the signature: the appendix tables after it (a cell's lines, "|") must not hide the layout of the prose.
  const prose = out.slice(0, proseEnd);
  const blank = prose.filter((line) => line.trim() === '').length;
  const separated = blank * 2 >= prose.length - blank;
  let head = -1;
  let parts: string[] = [];
  const flush = (): void => {
    if (head !== -1 && parts.length > 1) out[head] = parts.join(' ');
    parts = [];
  };
  for (let i = 0; i < out.length; i++) {
    const line = out[i].trim();
    if (line === '' || line.includes('|')) {
      flush();
      head = -1;
      continue;
    }
    // Not an item of its own ("a) …", "đ) …", "- …"), which starts in lower case too.
    const continues = separated
      ? !ITEM.test(line)
      : /^\p{Ll}/u.test(line) && !/^\p{Ll}\)|^[a-zđ]\.\s/u.test(line) && !/[.;:!?]$/u.test(parts[parts.length - 1]);
    // "1.4. Giao Sở Xây dựng" / "Theo dõi, đôn đốc …": the heading names who, the next line starts the work
    // (the duties join them as one sentence, with the heading's agency alone as lead).
    if (head !== -1 && continues && !(parts.length === 1 && isAddressee(parts[0]))) {
      parts.push(line);
      out[i] = '';
      continue;
    }
    flush();
    head = i;
    parts = [line];
  }
  flush();
  return out;
};

/**
 * The agency a sentence expressly gives work to: "Giao Sở X chủ trì …", "Đề nghị …", or after an opening
 * clause of circumstance ("Trên cơ sở kết quả khảo sát, Sở X chủ trì …", "Sau khi …, UBND các xã tổ chức …").
 */
const GIVEN = /^(?:giao|đề nghị|yêu cầu)\s/iu;
const OPENER = /^(?:trên cơ sở|căn cứ|sau khi|khi|đối với|theo)\s/iu;
const inlineAddress = (text: string): { readonly agencies: string; readonly rest: string } | null => {
  const comma = OPENER.test(text) ? text.slice(0, 200).indexOf(', ') : -1;
  const own = GIVEN.test(text) ? addressOf(text) : comma !== -1 ? addressOf(text.slice(comma + 2)) : null;
  return own && own.rest !== '' ? own : null;
};

const hasContent = (node: OutlineNode): boolean => node.bullets.length > 0 || node.children.length > 0 || node.paragraphs.length > 0;

/**
 * Tasks addressed to agencies by numbered headings, in the body between `from` and the signature.
 * Returns [] when the body has no such heading.
 */
export const addressedTasks = (lines: readonly string[], from: number, context: ReadContext): ParsedTask[] => {
  const end = lines.findIndex((line, i) => i >= from && /^(Nơi nhận|TM\.|KT\.|PHỤ LỤC)(?=[\s:|]|$)/u.test(line.trim()));
  const stop = end === -1 ? lines.length : end;
  const rest = unwrap(lines.slice(from), stop - from);
  const body = rest.slice(0, stop - from);
  for (const section of topSections(lines, from)) {
    if (section.start >= stop || !NOT_DUTIES.test(fold(section.title))) continue;
    for (let i = section.start; i < Math.min(section.end, stop); i++) body[i - from] = '';
  }
  const root = readOutline(emptyRoot('', ''), body, from);
  const tasks: ParsedTask[] = [];
  const emit = (ref: string, passage: Passage, group: string | null, node: OutlineNode, agencies: string): void => {
    const actors = leadsOf(agencies, context);
    tasks.push(makeTask(ref, passage, group, unitsFor(node, passage), actors, context));
  };
  // The work under an addressed heading: its bullets, else its items, else its paragraphs.
  const duties = (node: OutlineNode, path: string, agencies: string): void => {
    const group = collapse(`${node.number}. ${node.text}`);
    if (node.bullets.length > 0) {
      node.bullets.forEach((bullet, i) => emit(`${path}.${i + 1}`, bullet, group, node, agencies));
    } else if (node.children.length === 0 && node.paragraphs.length === 1 && addressOf(node.text)?.rest === '') {
      // "1.2. Giao Công an Thành phố" then "Chỉ đạo Công an các phường …": one sentence the layout broke in two.
      emit(path, { text: `${node.text} ${node.paragraphs[0].text}`, at: node.at }, group, node, agencies);
    } else if (node.children.length === 0) {
      node.paragraphs.forEach((paragraph, i) => emit(`${path}.${i + 1}`, paragraph, group, node, agencies));
    }
    for (const child of node.children) {
      const own = addressOf(child.text);
      const childPath = `${path}.${child.number.split('.').pop()}`;
      if (own && (hasContent(child) || own.rest !== '')) visit(child, childPath);
      else if (child.bullets.length > 0 || child.children.length > 0 || (child.paragraphs.length > 0 && isCaption(child.text)))
        duties(child, childPath, agencies);
      // An item that states its work: the paragraphs after it continue it (or close the document), they are not tasks.
      else emit(childPath, { text: child.text, at: child.at }, group, child, agencies);
    }
  };
  const visit = (node: OutlineNode, path: string): void => {
    const address = node.style === 'root' ? null : addressOf(node.text);
    // "2. Văn phòng Chính phủ theo dõi, đôn đốc …" then paragraphs: the heading states the work, they continue it.
    const inline = address !== null && address.rest !== '' && !isCaption(address.rest) && node.bullets.length === 0 && node.children.length === 0;
    if (address && hasContent(node) && !inline) return duties(node, path, address.agencies);
    if (address && address.rest !== '') {
      return emit(path, { text: node.text, at: node.at }, null, node, address.agencies);
    }
    // Under a topic ("2. Về công tác triển khai phần mềm"), the bullets that assign work themselves:
    // "- Giao Sở Xây dựng chủ trì …", "- Trên cơ sở kết quả khảo sát, Sở Xây dựng chủ trì …".
    if (node.style !== 'root') {
      node.bullets.forEach((bullet, i) => {
        const own = inlineAddress(bullet.text);
        if (own) emit(`${path}.${i + 1}`, bullet, collapse(`${node.number}. ${node.text}`), node, own.agencies);
      });
    }
    for (const child of node.children) visit(child, path === '' ? child.number : `${path}.${child.number.split('.').pop()}`);
  };
  visit(root, '');
  // Key/value blocks ("- Cơ quan chủ trì: …", "- Thời gian thực hiện: …") anywhere after the preamble, an
  // attached plan after the signature included; an addressed task on a block's line is the same task.
  const blocks = keyValueTasks([...lines.slice(0, from), ...rest], from, context);
  const taken = new Set(blocks.map((task) => task.source.line));
  return [...blocks, ...tasks.filter((task) => !taken.has(task.source.line))];
};
