import { viewOfDeadline, type Agency, type AgencyRef, type DeadlineSpec } from '@mandate/plans-domain';
import { leadingAgency, resolveAgency, splitAgencyList } from '../agency-resolver';
import { addressOf } from './agency-address';
import { findDeadlineInSentence, parseDeadline } from '@mandate/plans-domain';
import { collapse } from '../text';
import type { ParsedTask, WarningSink } from '../parsed-plan';
import { unitsFor, type OutlineNode, type Passage, type UnitLines } from './outline';

export type ReadContext = {
  readonly directory: readonly Agency[];
  readonly issuedOn: string;
  readonly warn: WarningSink;
};

type Actors = { readonly lead: AgencyRef | null; readonly coordinators: readonly AgencyRef[] };
const NO_ACTORS: Actors = { lead: null, coordinators: [] };

const toActors = (leads: readonly AgencyRef[], coordinators: readonly AgencyRef[]): Actors => ({
  lead: leads[0] ?? null,
  // Several agencies named jointly: the first leads, the others are kept as coordinators.
  coordinators: [...leads.slice(1), ...coordinators],
});

const allKnown = (refs: readonly AgencyRef[]): boolean => refs.length > 0 && refs.every((ref) => ref.resolution !== 'unresolved');

/** A heading that names who does the work: "a. Sở X chủ trì, phối hợp với …:", "1. Phòng Y", "Nhiệm vụ chung của các Sở…". */
const actorsOfHeading = (text: string, context: ReadContext): Actors | null => {
  const heading = collapse(text);
  const leads = /^(.+?)\s+chủ trì(?:\s*,?\s*phối hợp(?: chặt chẽ)? với\s+(.+?))?\s*[:;.]?$/u.exec(heading);
  if (leads) {
    const lead = splitAgencyList(leads[1], context.directory);
    if (allKnown(lead)) return toActors(lead, leads[2] ? splitAgencyList(leads[2], context.directory) : []);
  }
  const of = /nhiệm vụ(?: chung| cụ thể)? của\s+(.+?)\s*:?$/iu.exec(heading);
  if (of) {
    const refs = splitAgencyList(of[1], context.directory);
    if (allKnown(refs)) return toActors(refs, []);
  }
  const named = withoutRole(heading.replace(/^đề nghị\s*:?\s*/iu, '').replace(/\s*:$/, ''));
  const refs = splitAgencyList(named, context.directory);
  // A heading made of a group's name alone ("Ủy ban nhân dân các phường, xã, đặc khu") names who, too.
  if (allKnown(refs) && (refs.some((ref) => ref.resolution === 'resolved') || heading.endsWith(':') || refs.every((ref) => ref.resolution === 'group'))) {
    return toActors(refs, []);
  }
  return writtenActors(heading, context);
};

/**
 * "Sở Tài chính - Cơ quan thường trực Ban Chỉ đạo": the agency, then its role in the work. Only after an
 * agency's name: "Y tế - Giáo dục huyện" is a topic.
 */
const withoutRole = (heading: string): string => {
  const dash = /\s[-–]\s/u.exec(heading);
  return dash && addressOf(heading.slice(0, dash.index)) !== null ? heading.slice(0, dash.index) : heading;
};

/**
 * Who a heading names in words when the city's directory does not know them: "Trách nhiệm của đối tượng
 * thực hiện kiểm kê:", "Nhiệm vụ của các cơ quan quản lý cấp trên (bao gồm …)". Kept unresolved, as
 * written, without what a parenthesis adds.
 */
const writtenActors = (heading: string, context: ReadContext): Actors | null => {
  const bare = heading.replace(/\s*\([^()]*\)/gu, '').replace(/\s*:$/u, '');
  const duty = /^(?:trách nhiệm|nhiệm vụ)(?: chung| cụ thể)? của\s+(.+)$/iu.exec(bare);
  if (duty) return toActors(splitAgencyList(duty[1], context.directory), []);
  // "1. Văn phòng Ủy ban nhân dân tỉnh", "2. Trung tâm xúc tiến Đầu tư, Thương mại và Du lịch tỉnh": an agency's name and nothing else.
  const address = addressOf(bare);
  if (!address || address.rest !== '' || bare.includes(':')) return null;
  return toActors([resolveAgency(withoutRole(address.agencies), context.directory)], []);
};

const AGENCY_WORD = '(?:Sở|Ban|Văn phòng|Ủy ban nhân dân|UBND|Công an|Bộ|Cục|Viện|Phòng|Trung tâm|Thanh tra)';
const STOP = '(?=\\s+(?:để|đôn đốc|theo dõi|tổ chức|xây dựng|triển khai|thực hiện|tham mưu|kiểm tra|rà soát|hướng dẫn|báo cáo)(?=[\\s,.;:]|$)|[.;:]|$)';

const LEADS_BEFORE = new RegExp(`chủ trì(?:\\s*,?\\s*phối hợp(?: chặt chẽ)? với\\s+(.+?)${STOP})?`, 'gu');
const HEADS = new RegExp(AGENCY_WORD, 'gu');

/**
 * Bounds on the search for the agencies named before "chủ trì", so that a line's work does not grow with the
 * square (or cube) of its length: each "chủ trì" read its whole clause again, and each agency word in it
 * started a new split of the rest (issue 17: a line of 8,000 "Sở" held a city's requests for 37 s).
 * The lead lists of real plans are one to three agencies, well under 100 characters and four agency words.
 */
const LEAD_WINDOW = 300; // characters before "chủ trì" in which its agencies are looked for
const MAX_HEADS = 8; // agency words tried as the start of the list, the nearest ones
const MAX_MENTIONS = 12; // "chủ trì" read per sentence

/** The clause that ends at `end` (after the last ".", ";" or ":"), at most LEAD_WINDOW characters of it, from a word start. */
const clauseBefore = (text: string, end: number): string => {
  const from = Math.max(0, end - LEAD_WINDOW);
  let clause = text.slice(from, end);
  const stop = Math.max(clause.lastIndexOf('.'), clause.lastIndexOf(';'), clause.lastIndexOf(':'));
  if (stop !== -1) return clause.slice(stop + 1);
  // Cut inside a longer clause: drop the partial first word.
  if (from > 0 && text[from - 1] !== ' ') clause = clause.slice(clause.indexOf(' ') + 1);
  return clause;
};

/** "… Văn phòng UBND thành phố chủ trì, phối hợp với Sở X và các cơ quan đôn đốc …" inside a sentence. */
export const findActorsInSentence = (sentence: string, context: ReadContext): Actors | null => {
  const text = collapse(sentence);
  let mentions = 0;
  for (const match of text.matchAll(LEADS_BEFORE)) {
    if (++mentions > MAX_MENTIONS) break;
    const before = clauseBefore(text, match.index);
    const heads = [...before.matchAll(HEADS)].map((head) => head.index).slice(-MAX_HEADS);
    for (const head of heads) {
      const refs = splitAgencyList(before.slice(head), context.directory);
      if (refs.length > 0 && refs.every((ref) => ref.resolution === 'resolved')) {
        return toActors(refs, match[1] ? splitAgencyList(match[1], context.directory) : []);
      }
    }
  }
  // "Sở X và các cơ quan báo chí phối hợp với Ban Y và các Sở, ngành tổ chức …": X leads, with Y.
  const joint = new RegExp(`^(.+?)\\s+phối hợp(?: chặt chẽ)? với\\s+(.+?)${STOP}`, 'u').exec(text.replace(/^\d+(?:\.\d+)*\.\s*/, ''));
  if (joint) {
    const leads = splitAgencyList(joint[1], context.directory);
    if (leads[0]?.resolution === 'resolved') return toActors(leads, splitAgencyList(joint[2], context.directory));
  }
  const given = /\bgiao(?: cho)?\s+(.+)$/iu.exec(text);
  const lead = (given && leadingAgency(given[1], context.directory)) ?? leadingAgency(text, context.directory);
  return lead ? { lead, coordinators: [] } : null;
};

const warnUnresolved = (ref: string, role: string, refs: readonly (AgencyRef | null)[], context: ReadContext, at: number): void => {
  for (const agency of refs) {
    if (agency?.resolution === 'unresolved') {
      context.warn('agency-unresolved', `${ref}: ${role} "${agency.text}" is not in the city's agency directory; add it or an alias, then re-import.`, at);
    }
  }
};

const deadlineOf = (ref: string, title: string, units: UnitLines, context: ReadContext, at: number): DeadlineSpec => {
  if (units.deadline !== undefined) {
    const parsed = parseDeadline(units.deadline, context);
    if (parsed.kind === 'unspecified' && parsed.text) {
      context.warn('deadline-unknown', `${ref}: deadline "${parsed.text}" could not be read; it is kept as text.`, at);
    }
    return parsed;
  }
  const stated = findDeadlineInSentence(title, context);
  if (stated?.kind === 'unspecified') {
    context.warn('deadline-unknown', `${ref}: deadline "${stated.text}" could not be read; it is kept as text.`, at);
  }
  return stated ?? parseDeadline('', context);
};

export const makeTask = (ref: string, passage: Passage, group: string | null, units: UnitLines, inherited: Actors, context: ReadContext): ParsedTask => {
  const title = passage.text;
  let actors = inherited;
  if (units.lead !== undefined) {
    actors = toActors(splitAgencyList(units.lead, context.directory), []);
  } else if (!inherited.lead) {
    actors = findActorsInSentence(title, context) ?? NO_ACTORS;
  } else if (inherited.lead.resolution === 'group') {
    // "9. Các sở, ban, ngành …" over "- Công an tỉnh tham mưu …", "- Sở Y tế tham mưu …": each item names its own.
    const own = addressOf(title.replace(/^\(\d+\)\s*/u, ''));
    if (own && own.rest !== '') actors = toActors(splitAgencyList(own.agencies, context.directory), []);
  }
  const coordinators = [...actors.coordinators, ...(units.coordinators !== undefined ? splitAgencyList(units.coordinators, context.directory) : [])];
  warnUnresolved(ref, 'lead', [actors.lead], context, passage.at);
  warnUnresolved(ref, 'coordinator', coordinators, context, passage.at);
  return {
    ref,
    group,
    title: collapse(title),
    lead: actors.lead,
    coordinators,
    deliverable: units.deliverable ? collapse(units.deliverable) : null,
    supervisor: null,
    note: null,
    deadline: viewOfDeadline(deadlineOf(ref, title, units, context, passage.at)),
    parent: null,
    source: { line: passage.at + 1 },
  };
};

const segmentOf = (parent: OutlineNode, child: OutlineNode): string =>
  child.number.startsWith(`${parent.number}.`) ? child.number.slice(parent.number.length + 1) : child.number;

const labelOf = (node: OutlineNode): string => collapse(`${node.number}. ${node.text}`);

/**
 * Turns an outline section into tasks: every bullet is a task; a heading without bullets or sub-headings
 * is a task through its paragraphs, or through its own text when it has none.
 */
export const outlineTasks = (section: OutlineNode, context: ReadContext): ParsedTask[] => {
  const tasks: ParsedTask[] = [];
  const visit = (node: OutlineNode, path: string, parent: OutlineNode | null, inherited: Actors): void => {
    const own = node.style === 'root' ? null : actorsOfHeading(node.text, context);
    const actors = own ?? inherited;
    const group = labelOf(node);
    if (node.bullets.length > 0) {
      node.bullets.forEach((bullet, i) => tasks.push(makeTask(`${path}.${i + 1}`, bullet, group, unitsFor(node, bullet), actors, context)));
    } else if (node.children.length === 0 && node.paragraphs.length > 0) {
      node.paragraphs.forEach((paragraph, i) => tasks.push(makeTask(`${path}.${i + 1}`, paragraph, group, node.units, actors, context)));
    } else if (node.children.length === 0 && node.style !== 'root' && !own) {
      tasks.push(makeTask(path, { text: node.text, at: node.at }, parent ? labelOf(parent) : null, node.units, actors, context));
    }
    const withoutLead = node.bullets.length > 0 && !actors.lead && node.units.lead === undefined;
    if (withoutLead && tasks.slice(-node.bullets.length).every((task) => task.lead === null)) {
      context.warn(
        'lead-missing',
        `${path}: no lead agency is named for the ${node.bullets.length} task(s) under "${group.slice(0, 80)}".`,
        node.bullets[0].at,
      );
    }
    for (const child of node.children) visit(child, `${path}.${segmentOf(node, child)}`, node, actors);
  };
  visit(section, section.number, null, NO_ACTORS);
  return tasks;
};
