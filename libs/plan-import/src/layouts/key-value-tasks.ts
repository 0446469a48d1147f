import { findDeadlineInSentence } from '@mandate/plans-domain';
import type { ParsedTask } from '../parsed-plan';
import { collapse, trimPunctuation } from '../text';
import { addressOf } from './agency-address';
import type { UnitLines } from './outline';
import { makeTask, type ReadContext } from './outline-tasks';

/**
 * Key/value task blocks: a statement of the work (a numbered heading, a "(1) …" paragraph, or a
 * "- Nội dung thực hiện: …" line) followed by lines that say who and when:
 *   "- Cơ quan chủ trì: …" / "- Đơn vị chủ trì thực hiện: …" / "+ Cơ quan phối hợp: …" /
 *   "- Thời gian thực hiện: …" / "+ Thời hạn ban hành: …" / "- Thời gian hoàn thành: …".
 * A block is a task when it names who does the work (a lead); a lone "Thời gian: …" is not.
 * One pass over the lines, each line tested against a few anchored patterns.
 */
type Key = keyof UnitLines | 'content';

const KEYS: ReadonlyArray<readonly [Key, RegExp]> = [
  ['coordinators', /^[-–•+]?\s*(?:đơn vị|cơ quan)\s+phối hợp(?:\s+thực hiện)?\s*:\s*(.*)$/iu],
  ['lead', /^[-–•+]?\s*(?:đơn vị|cơ quan)(?:\s+được giao)?\s+(?:chủ trì|thực hiện|chủ trì thực hiện)(?:\s+thực hiện)?\s*:\s*(.*)$/iu],
  ['deadline', /^[-–•+]?\s*(?:thời gian|thời hạn|tiến độ)(?:\s+(?:thực hiện|hoàn thành|ban hành|trình))?\s*:\s*(.*)$/iu],
  ['deliverable', /^[-–•+]?\s*(?:sản phẩm|kết quả)(?:\s+đầu ra)?\s*:\s*(.*)$/iu],
  ['content', /^[-–•+]?\s*nội dung(?:\s+(?:thực hiện|công việc))?\s*:\s*(.*)$/iu],
];

const keyOf = (line: string): readonly [Key, string] | null => {
  for (const [key, pattern] of KEYS) {
    const match = pattern.exec(line);
    if (match) return [key, collapse(match[1])];
  }
  return null;
};

// "1.", "3.1.", "a)", "(1)", "- ", "+ " in front of a statement.
const MARKER = /^(?:\(?(?:\d+(?:\.\d+)*|[a-zđ])[.)]|\(\d+\)|[-–•+])\s*/u;

// `tail`: the last line added to the block, tested instead of the growing value (linear on long runs).
// `items`: the "+ " lines under a key written with no value ("- Thời gian thực hiện:"), which give it.
type Block = { title: string; at: number; units: UnitLines; content?: string; last: Key; tail: string; items?: string[] };

/**
 * A key's value given as "+ " items: the agencies listed, one per item; for the time, the deadline of the
 * last step ("+ Các bộ gửi kết quả trước ngày 15/12/2025", "+ Bộ Công an báo cáo trước ngày 31/12/2025":
 * the work is done by 31/12), or the items as written when none states a readable one.
 */
const valueOfItems = (key: Key, items: readonly string[], context: ReadContext): string => {
  if (key !== 'deadline') return items.map(trimPunctuation).join('; ');
  let latest: { text: string; due: string } | null = null;
  for (const item of items) {
    const found = findDeadlineInSentence(item, context);
    if (found?.due && (!latest || found.due >= latest.due)) latest = { text: found.text, due: found.due };
  }
  return latest?.text ?? items.join(' ');
};

/** Tasks of the key/value blocks in lines [from, lines.length); [] when the document has none. */
export const keyValueTasks = (lines: readonly string[], from: number, context: ReadContext): ParsedTask[] => {
  const tasks: ParsedTask[] = [];
  let statement: { text: string; at: number } | null = null;
  let block: Block | null = null;
  // The "+ " items under a key with no value become its value.
  const settle = (): void => {
    if (!block?.items) return;
    if (block.items.length > 0 && block.last !== 'content') block.units[block.last] = valueOfItems(block.last, block.items, context);
    block.items = undefined;
  };
  const close = (): void => {
    settle();
    if (block && block.units.lead) {
      const lead = addressOf(block.units.lead)?.agencies ?? block.units.lead;
      // The statement names the work ("4. Rà soát văn bản quy phạm pháp luật"); "Nội dung: …" details it.
      const title = block.title && block.content ? `${trimPunctuation(block.title)}: ${block.content}` : (block.content ?? block.title);
      // Values as written, without the sentence's final punctuation ("Quý IV/2025.").
      const units = Object.fromEntries(Object.entries({ ...block.units, lead }).map(([key, value]) => [key, trimPunctuation(value)])) as UnitLines;
      tasks.push(makeTask(`KV.${tasks.length + 1}`, { text: title, at: block.at }, null, units, { lead: null, coordinators: [] }, context));
    }
    block = null;
  };
  for (let i = from; i < lines.length; i++) {
    const line = collapse(lines[i].replace(/\|/g, ' '));
    if (line === '') continue;
    if (/^(?:Nơi nhận|TM\.|KT\.)(?=[\s:]|$)/u.test(line)) {
      close();
      statement = null;
      continue;
    }
    const kv = keyOf(line);
    if (kv) settle();
    if (kv) {
      if (!block || (kv[0] !== 'content' && block.units[kv[0] as keyof UnitLines] !== undefined)) {
        close();
        block = { title: statement?.text ?? '', at: statement?.at ?? i, units: {}, last: kv[0], tail: line };
      }
      if (kv[0] === 'content') {
        if (block.content !== undefined || Object.keys(block.units).length > 0) {
          close();
          block = { title: statement?.text ?? '', at: statement?.at ?? i, units: {}, last: 'content', tail: line };
        }
        block.content = kv[1];
        if (!block.title) block.at = i;
      } else {
        block.units[kv[0]] = kv[1];
      }
      block.last = kv[0];
      block.tail = line;
      if (kv[1] === '' && kv[0] !== 'content') block.items = [];
      continue;
    }
    if (block?.items) {
      // "+ …" items, each perhaps wrapped over lines starting in lower case.
      if (line.startsWith('+')) {
        block.items.push(line.replace(/^\+\s*/u, ''));
        continue;
      }
      if (block.items.length > 0 && /^\p{Ll}/u.test(line)) {
        block.items[block.items.length - 1] += ` ${line}`;
        continue;
      }
      settle();
    }
    // A value cut by the source ("- Cơ quan chủ trì: Sở Nội vụ, Sở" / "Giáo dục và Đào tạo"): it goes on.
    if (block) {
      const value = block.last === 'content' ? block.content : block.units[block.last as keyof UnitLines];
      if (value !== undefined && (!/[.;:]$/u.test(block.tail) || /^\p{Ll}/u.test(line)) && !MARKER.test(line)) {
        if (block.last === 'content') block.content = `${value} ${line}`;
        else block.units[block.last as keyof UnitLines] = `${value} ${line}`;
        block.tail = line;
        continue;
      }
      close();
    }
    statement = { text: line.replace(MARKER, ''), at: i };
  }
  close();
  return tasks.filter((task) => task.title !== '');
};
