import leven from 'leven';
import type { ParsedTask, WarningSink } from './parsed-plan';
import { collapse, fold } from './text';

/** "PCT TT Lê Hồng Sơn", "Đ/c Phó Chủ tịch Dương Đức Tuấn" -> the person's name. */
const TITLE =
  /^(?:(?:đ\/c|đồng chí)\s+)?(?:(?:phó\s+)?chủ\s+tịch|pct|ct)(?:\s+(?:tt|thường trực))?(?:\s+(?:ubnd|ủy ban nhân dân)(?:\s+(?:tp|thành phố))?)?\s+/iu;

export const leaderName = (text: string): string => collapse(text).replace(TITLE, '').trim();

/** Longer than any person's name with its titles stripped; the edit distance is quadratic in the lengths. */
const MAX_NAME = 80;

/** Typos the sources carry are one or two keystrokes away ("Nguvễn", "Tuần"); names differ by more. */
const isTypoOf = (written: string, intended: string): boolean => {
  // Lengths more than two apart are more than two edits apart: no need to measure.
  if (written === intended || Math.abs(written.length - intended.length) > 2 || intended.length > MAX_NAME) return false;
  if (fold(written).split(' ').length !== fold(intended).split(' ').length) return false;
  const distance = leven(written, intended);
  return distance > 0 && distance <= Math.min(2, Math.floor(intended.length / 6));
};

const MAX_SPELLINGS = 50;

/**
 * Names the person each supervisor cell means. A name the city's list of leaders holds is taken as is;
 * one a keystroke or two away from a listed leader, or from a spelling the same document uses more
 * often, is read as that person, with a warning so a person can check it.
 */
export const resolveSupervisors = (tasks: readonly ParsedTask[], leaders: readonly string[], warn: WarningSink): ParsedTask[] => {
  const counts = new Map<string, number>();
  for (const task of tasks) {
    if (task.supervisor) counts.set(leaderName(task.supervisor.text), (counts.get(leaderName(task.supervisor.text)) ?? 0) + 1);
  }
  // A spelling another one is corrected to is written more than once; the most frequent few are enough
  // (a plan names a handful of leaders), and comparing every name with every other was quadratic (issue 17).
  const frequent = [...counts.entries()]
    .filter(([, count]) => count > 1)
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_SPELLINGS);
  const decided = new Map<string, string | null>();
  const intended = (name: string): string | null => {
    if (leaders.includes(name)) return name;
    if (decided.has(name)) return decided.get(name)!;
    const listed = leaders.find((leader) => isTypoOf(name, leader));
    const more = listed ? undefined : frequent.find(([other, count]) => count > (counts.get(name) ?? 0) && isTypoOf(name, other));
    const person = listed ?? (more ? more[0] : null);
    decided.set(name, person);
    return person;
  };
  return tasks.map((task) => {
    if (!task.supervisor) return task;
    const written = leaderName(task.supervisor.text);
    if (!written) return { ...task, supervisor: { text: task.supervisor.text, name: null } };
    const person = intended(written);
    if (person && person !== written) {
      warn('leader-corrected', `${task.ref}: supervisor "${written}" is read as "${person}" (a typo of the source?).`, task.source.line - 1);
    } else if (!person && leaders.length > 0) {
      warn('leader-unknown', `${task.ref}: supervisor "${written}" is not among the city's leaders.`, task.source.line - 1);
    }
    return { ...task, supervisor: { text: task.supervisor.text, name: person ?? written } };
  });
};

/** The person a supervisor cell names: a listed leader when it is one (typos included), else the name as written. */
export const personNamed = (text: string, leaders: readonly string[]): string => {
  const written = leaderName(text);
  return leaders.find((leader) => leader === written || isTypoOf(written, leader)) ?? written;
};
