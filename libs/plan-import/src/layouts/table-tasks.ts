import { parseDeadline, viewOfDeadline } from '@mandate/plans-domain';
import { resolveAgency, splitAgencyList } from '../agency-resolver';
import type { ParsedTask } from '../parsed-plan';
import { fold } from '../text';
import type { ReadContext } from './outline-tasks';
import type { TaskTable } from './task-table';

/** "03 nội dung được tách riêng…": a note merged over the rows below says how many rows it covers. */
const spanOfNote = (note: string): number | null => {
  const match = /^(\d{1,2})\s+noi dung\b/.exec(fold(note));
  return match ? Number(match[1]) : null;
};

const orNull = (text: string | undefined): string | null => (text && text.trim() !== '' ? text.trim() : null);

export const tableTasks = (table: TaskTable, context: ReadContext): ParsedTask[] => {
  const tasks: ParsedTask[] = [];
  let merged: { note: string; remaining: number | null } | null = null;
  for (const at of table.elisions) {
    context.warn('truncated', `The table prints "…" in place of some of its rows: the rows left out are unknown, not absent.`, at);
  }
  for (const row of table.rows) {
    // "PL2.I.3" in appendix 2; "T.I.3" in a table of the body (a document without appendices).
    const prefix = table.appendix ? `PL${table.appendix}` : 'T';
    const ref = row.group ? `${prefix}.${row.group.numeral}.${row.number}` : `${prefix}.${row.number}`;
    const v = row.values;

    let note = orNull(v.note);
    if (row.missing.includes('note')) {
      // The row prints no note cell: it sits under a note merged from a row above, if that one still spans.
      if (merged && (merged.remaining === null || merged.remaining > 0)) {
        note = merged.note;
        if (merged.remaining !== null) merged.remaining -= 1;
      }
    } else if (note) {
      const span = spanOfNote(note);
      merged = { note, remaining: span === null ? null : span - 1 };
    } else {
      merged = null;
    }

    const missingCells = row.missing.filter((role) => role !== 'note' && role !== 'other');
    if (missingCells.length > 0) {
      context.warn('row-incomplete', `${ref}: the row prints no ${missingCells.join(', ')} cell (the table ends or is broken there).`, row.at);
    }

    const lead = orNull(v.lead) ? resolveLead(v.lead!, context) : null;
    const coordinators = orNull(v.coordinators) ? splitAgencyList(v.coordinators!, context.directory) : [];
    if (lead === null && table.columns.includes('lead')) context.warn('lead-missing', `${ref}: no lead agency in the table.`, row.at);
    for (const agency of [lead, ...coordinators]) {
      if (agency?.resolution === 'unresolved') {
        context.warn('agency-unresolved', `${ref}: "${agency.text}" is not in the city's agency directory; add it or an alias, then re-import.`, row.at);
      }
    }

    const deadline = parseDeadline(v.deadline ?? '', context);
    if (deadline.kind === 'unspecified' && deadline.text) {
      context.warn('deadline-unknown', `${ref}: deadline "${deadline.text}" could not be read; it is kept as text.`, row.at);
    } else if (deadline.kind === 'unspecified' && table.columns.includes('deadline') && !row.missing.includes('deadline')) {
      context.warn('deadline-empty', `${ref}: the deadline cell is empty.`, row.at);
    }

    const supervisor = orNull(v.supervisor);
    tasks.push({
      ref,
      group: row.group ? `${row.group.numeral}. ${row.group.title}` : table.appendix ? `Phụ lục ${table.appendix}. ${table.heading}` : table.heading || null,
      title: orNull(v.title) ?? '',
      lead,
      coordinators,
      deliverable: orNull(v.deliverable),
      supervisor: supervisor === null ? null : { text: supervisor, name: null }, // named in resolveSupervisors
      note,
      deadline: viewOfDeadline(deadline),
      parent: null,
      source: { line: row.at + 1 },
    });
  }
  return tasks;
};

/** A lead cell names one agency, sometimes with a trailing period; a list there keeps its first as lead. */
const resolveLead = (text: string, context: ReadContext) => {
  const single = resolveAgency(text, context.directory);
  if (single.resolution !== 'unresolved') return single;
  const listed = splitAgencyList(text, context.directory);
  return listed.length === 1 ? listed[0] : single;
};
