import { describe, expect, it } from '@jest/globals';
import { correctionsOf, documentDraftOf, draftOf, EMPTY_DRAFT, type ParsedPlan, type TaskDraft } from './import-review';

/** A copy before signing as the importer reads it: no number, a date, two tasks. */
const parsed: ParsedPlan = {
  document: { number: null, issuedOn: '2025-08-20', title: 'Kế hoạch chuyển đổi số' },
  tasks: [
    {
      ref: 'I.1',
      group: 'I. Nhiệm vụ chung',
      title: 'Rà soát hạ tầng',
      lead: { agencyId: 'so-khcn', name: 'Sở Khoa học và Công nghệ', resolution: 'resolved' },
      coordinators: [{ agencyId: null, name: 'Các doanh nghiệp viễn thông', resolution: 'unresolved' }],
      deadline: { text: 'Quý II/2026', kind: 'due', due: '2026-06-30' },
    },
    { ref: 'I.2', group: 'I. Nhiệm vụ chung', title: 'Căn cứ pháp lý', lead: null, deadline: { text: '', kind: 'unknown' } },
  ],
  warnings: [],
};
const directory = new Map([
  ['Sở Tư pháp', 'so-tu-phap'],
  ['Sở Nội vụ', 'so-noi-vu'],
]);
const task = (ref: string) => parsed.tasks!.find((t) => t.ref === ref)!;
const edited = (ref: string, change: Partial<TaskDraft>) => ({ [ref]: { ...draftOf(task(ref)), ...change } });

describe('correctionsOf: the review as ImportCorrections', () => {
  it('given nothing edited, when turned into corrections, then there are none and nothing changed', () => {
    const { corrections, changes } = correctionsOf(parsed, documentDraftOf(parsed), {}, [], directory);
    expect(corrections).toEqual({});
    expect(changes).toEqual([]);
  });

  it('given a task opened for editing but left as read, then it is no correction', () => {
    const { corrections } = correctionsOf(parsed, documentDraftOf(parsed), { 'I.1': draftOf(task('I.1')) }, [], directory);
    expect(corrections).toEqual({});
  });

  it('given the blank number filled and the date cleared, then the document corrections hold them (null for cleared)', () => {
    const doc = { ...documentDraftOf(parsed), number: ' 1450/BCĐ ', issuedOn: '' };
    const { corrections, changes } = correctionsOf(parsed, doc, {}, [], directory);
    expect(corrections).toEqual({ document: { number: '1450/BCĐ', issuedOn: null } });
    expect(changes).toEqual([
      { path: 'document.number', from: '', to: '1450/BCĐ' },
      { path: 'document.issuedOn', from: '2025-08-20', to: null },
    ]);
  });

  it('given a lead picked from the directory and coordinators typed, then the directory name goes as its id, another name as written', () => {
    const drafts = edited('I.1', { lead: 'Sở Tư pháp', coordinators: 'Sở Nội vụ; Ban Dân tộc ;' });
    const { corrections, changes } = correctionsOf(parsed, documentDraftOf(parsed), drafts, [], directory);
    expect(corrections).toEqual({ tasks: { 'I.1': { lead: 'so-tu-phap', coordinators: ['so-noi-vu', 'Ban Dân tộc'] } } });
    expect(changes.map((c) => [c.path, c.from, c.to])).toEqual([
      ['tasks.I.1.lead', 'Sở Khoa học và Công nghệ', 'Sở Tư pháp'],
      ['tasks.I.1.coordinators', 'Các doanh nghiệp viễn thông', 'Sở Nội vụ; Ban Dân tộc'],
    ]);
  });

  it('given a lead emptied, a title and a deadline rewritten, then the lead is null and the others are sent as typed', () => {
    const drafts = edited('I.1', { lead: ' ', title: 'Rà soát, nâng cấp hạ tầng', deadline: '31/12/2026' });
    const { corrections } = correctionsOf(parsed, documentDraftOf(parsed), drafts, [], directory);
    expect(corrections.tasks).toEqual({ 'I.1': { title: 'Rà soát, nâng cấp hạ tầng', lead: null, deadline: '31/12/2026' } });
  });

  it('given a title emptied, then the title is kept as read (a task has a title)', () => {
    const { corrections } = correctionsOf(parsed, documentDraftOf(parsed), edited('I.1', { title: '  ' }), [], directory);
    expect(corrections).toEqual({});
  });

  it('given a row dropped after an edit, then only the drop is sent', () => {
    const drafts = edited('I.2', { lead: 'Sở Tư pháp', drop: true });
    const { corrections, changes } = correctionsOf(parsed, documentDraftOf(parsed), drafts, [], directory);
    expect(corrections).toEqual({ tasks: { 'I.2': { drop: true } } });
    expect(changes).toEqual([{ path: 'tasks.I.2', from: 'Căn cứ pháp lý', to: null }]);
  });

  it('given two tasks added, the first left blank, then only the second is sent, numbered +1, with its group', () => {
    const added: TaskDraft[] = [EMPTY_DRAFT, { ...EMPTY_DRAFT, title: 'Báo cáo kết quả', lead: 'Sở Nội vụ', deadline: 'hằng quý', group: 'I. Nhiệm vụ chung' }];
    const { corrections, changes } = correctionsOf(parsed, documentDraftOf(parsed), {}, added, directory);
    expect(corrections).toEqual({ add: [{ title: 'Báo cáo kết quả', lead: 'so-noi-vu', deadline: 'hằng quý', group: 'I. Nhiệm vụ chung' }] });
    expect(changes).toEqual([{ path: 'add.+1', from: '', to: 'Báo cáo kết quả' }]);
  });
});
