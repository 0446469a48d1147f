import { fold, ForbiddenError, IllegalStateError, NotFoundError, ValidationError, type CommandMetadata } from '@mandate/kernel';
import { DeciderSpecification } from '@mandate/testing';
import { currentAgencyOf, directoryDecider, leaderNamesOf, type DirectoryEvent } from './directory';

const now = new Date('2025-07-01T01:00:00Z');
const office: CommandMetadata = { actorId: 'vp-hp', role: 'office', agencyId: null, cityId: 'hai-phong', now };
const audit = { actorId: 'vp-hp', role: 'office' as const, agencyId: null, cityId: 'hai-phong' };
const at = now.toISOString();
const spec = DeciderSpecification.for(directoryDecider);

const added = (
  agencyId: string,
  name: string,
  extra: { kind?: 'department' | 'committee' | 'commune' | 'unit'; parentId?: string | null; aliases?: string[] } = {},
): DirectoryEvent => ({
  type: 'AgencyAdded',
  data: {
    cityId: 'hai-phong',
    agency: { agencyId, name, kind: extra.kind ?? 'department', parentId: extra.parentId ?? null, aliases: extra.aliases ?? [] },
    addedAt: at,
  },
  metadata: audit,
});
const khdt = added('so-ke-hoach-va-dau-tu', 'Sở Kế hoạch và Đầu tư', { aliases: ['Sở KH&ĐT'] });
const taiChinh = added('so-tai-chinh', 'Sở Tài chính');
const phongDauTu = added('phong-dau-tu', 'Phòng Đầu tư', { kind: 'unit', parentId: 'so-ke-hoach-va-dau-tu' });
const merged: DirectoryEvent = {
  type: 'AgenciesMerged',
  data: {
    cityId: 'hai-phong',
    predecessorIds: ['so-ke-hoach-va-dau-tu'],
    successorId: 'so-tai-chinh',
    effectiveOn: '2025-03-01',
    reason: 'Nghị quyết hợp nhất Sở KH&ĐT vào Sở Tài chính',
    mergedAt: at,
  },
  metadata: audit,
};

describe('Directory: the city office keeps its agencies, their names and their successions', () => {
  it('adds a department with its abbreviations as aliases', () =>
    spec([])
      .when({
        type: 'AddAgency',
        data: { agencyId: 'so-ke-hoach-va-dau-tu', name: '  Sở Kế hoạch  và Đầu tư ', kind: 'department', aliases: ['Sở KH&ĐT', 'sở kế hoạch và đầu tư'] },
        metadata: office,
      })
      .then([khdt]));

  it('refuses a name or alias another active agency is called by, whatever its case and spacing', () =>
    spec([khdt])
      .when({ type: 'AddAgency', data: { agencyId: 'so-khdt', name: 'SỞ KH&ĐT', kind: 'department' }, metadata: office })
      .thenThrows(IllegalStateError, 'agency-name-taken'));

  it('refuses an id taken, an id URLs cannot carry, a parent that does not exist', () => {
    spec([khdt])
      .when({ type: 'AddAgency', data: { agencyId: 'so-ke-hoach-va-dau-tu', name: 'Khác', kind: 'department' }, metadata: office })
      .thenThrows(IllegalStateError, 'agency-exists');
    spec([])
      .when({ type: 'AddAgency', data: { agencyId: 'Sở Tư pháp', name: 'Sở Tư pháp', kind: 'department' }, metadata: office })
      .thenThrows(ValidationError, 'invalid-agency-id');
    spec([])
      .when({ type: 'AddAgency', data: { agencyId: 'phong-a', name: 'Phòng A', kind: 'unit', parentId: 'so-x' }, metadata: office })
      .thenThrows(NotFoundError, 'agency-not-found');
  });

  it('is kept by the city office only, of its own city', () => {
    spec([])
      .when({
        type: 'AddAgency',
        data: { agencyId: 'so-tu-phap', name: 'Sở Tư pháp', kind: 'department' },
        metadata: { ...office, role: 'agency', agencyId: 'so-tu-phap' },
      })
      .thenThrows(ForbiddenError, 'directory-office-only');
    spec([khdt])
      .when({ type: 'AddAgency', data: { agencyId: 'so-tu-phap', name: 'Sở Tư pháp', kind: 'department' }, metadata: { ...office, cityId: 'ha-noi' } })
      .thenThrows(ForbiddenError, 'other-city');
  });

  it('renames an agency and keeps its former name as an alias, so older documents still resolve', () => {
    const renamed: DirectoryEvent = {
      type: 'AgencyRenamed',
      data: { cityId: 'hai-phong', agencyId: 'so-tai-chinh', from: 'Sở Tài chính', to: 'Sở Tài chính - Kế hoạch', reason: 'Đổi tên', renamedAt: at },
      metadata: audit,
    };
    spec([taiChinh])
      .when({ type: 'RenameAgency', data: { agencyId: 'so-tai-chinh', name: 'Sở Tài chính - Kế hoạch', reason: 'Đổi tên' }, metadata: office })
      .then([renamed]);
    const state = fold(directoryDecider, [taiChinh, renamed]);
    expect(state.agencies[0]).toMatchObject({ name: 'Sở Tài chính - Kế hoạch', aliases: ['Sở Tài chính'] });
  });

  it('does not deactivate a department that still has active units', () =>
    spec([khdt, phongDauTu])
      .when({ type: 'DeactivateAgency', data: { agencyId: 'so-ke-hoach-va-dau-tu', reason: 'x' }, metadata: office })
      .thenThrows(IllegalStateError, 'agency-has-units'));

  it('does not let an agency belong to one of its own units', () =>
    spec([khdt, phongDauTu])
      .when({ type: 'MoveAgency', data: { agencyId: 'so-ke-hoach-va-dau-tu', parentId: 'phong-dau-tu' }, metadata: office })
      .thenThrows(ValidationError, 'agency-cycle'));

  describe('a merger (Sở Kế hoạch và Đầu tư into Sở Tài chính)', () => {
    it('names the successor of each predecessor from the effective day, with the reason', () =>
      spec([khdt, taiChinh, phongDauTu])
        .when({
          type: 'MergeAgencies',
          data: {
            predecessorIds: ['so-ke-hoach-va-dau-tu'],
            successorId: 'so-tai-chinh',
            effectiveOn: '2025-03-01',
            reason: 'Nghị quyết hợp nhất Sở KH&ĐT vào Sở Tài chính',
          },
          metadata: office,
        })
        .then([merged]));

    it('leaves the predecessor inactive under its successor, and moves its units to the successor', () => {
      const state = fold(directoryDecider, [khdt, taiChinh, phongDauTu, merged]);
      expect(state.agencies.find((a) => a.agencyId === 'so-ke-hoach-va-dau-tu')).toMatchObject({
        active: false,
        successor: { agencyId: 'so-tai-chinh', effectiveOn: '2025-03-01' },
      });
      expect(state.agencies.find((a) => a.agencyId === 'phong-dau-tu')).toMatchObject({ active: true, parentId: 'so-tai-chinh' });
      expect(currentAgencyOf(state, 'so-ke-hoach-va-dau-tu')?.agencyId).toBe('so-tai-chinh');
    });

    it('follows mergers in turn to where the work is now', () => {
      const xd = added('so-xay-dung', 'Sở Xây dựng');
      const again: DirectoryEvent = {
        ...merged,
        data: { ...merged.data, predecessorIds: ['so-tai-chinh'], successorId: 'so-xay-dung', effectiveOn: '2025-08-01' },
      };
      expect(currentAgencyOf(fold(directoryDecider, [khdt, taiChinh, xd, merged, again]), 'so-ke-hoach-va-dau-tu')?.agencyId).toBe('so-xay-dung');
    });

    it('refuses a merger into itself, into an inactive agency, into one of its own units, or without a day', () => {
      const merge = (data: object, given: DirectoryEvent[] = [khdt, taiChinh, phongDauTu]) =>
        spec(given).when({
          type: 'MergeAgencies',
          data: { predecessorIds: ['so-ke-hoach-va-dau-tu'], successorId: 'so-tai-chinh', effectiveOn: '2025-03-01', reason: 'x', ...data } as never,
          metadata: office,
        });
      merge({ successorId: 'so-ke-hoach-va-dau-tu' }).thenThrows(ValidationError, 'merger-into-itself');
      merge({}, [khdt, taiChinh, merged]).thenThrows(IllegalStateError, 'agency-inactive');
      merge({ successorId: 'phong-dau-tu' }).thenThrows(ValidationError, 'merger-into-own-unit');
      merge({ effectiveOn: '1/3/2025' }).thenThrows(ValidationError, 'invalid-effective-day');
      merge({ effectiveOn: '2025-02-31' }).thenThrows(ValidationError, 'invalid-effective-day'); // no such day
      merge({ reason: '' }).thenThrows(ValidationError, 'reason-required');
      merge({ predecessorIds: [] }).thenThrows(ValidationError, 'merger-without-predecessors');
    });
  });

  describe('ImportDirectory: the spreadsheet offices keep, applied as one change', () => {
    const row = (
      line: number,
      agencyId: string,
      name: string,
      extra: Partial<{ kind: 'department' | 'unit' | 'commune'; parentId: string | null; aliases: string[] }> = {},
    ) => ({
      line,
      agencyId,
      name,
      kind: extra.kind ?? ('department' as const),
      parentId: extra.parentId ?? null,
      aliases: extra.aliases ?? [],
    });
    const importing = (rows: ReturnType<typeof row>[]) => ({
      type: 'ImportDirectory' as const,
      data: { rows, reason: 'Nhập danh bạ tháng 7/2025' },
      metadata: office,
    });

    it('adds what is new, a unit listed before its parent included, renames what differs and adds the aliases it lacks', () =>
      spec([khdt])
        .when(
          importing([
            row(2, 'phong-dau-tu', 'Phòng Đầu tư', { kind: 'unit', parentId: 'so-tai-chinh' }),
            row(3, 'so-tai-chinh', 'Sở Tài chính', { aliases: ['STC'] }),
            row(4, 'so-ke-hoach-va-dau-tu', 'Sở Kế hoạch và Đầu tư', { aliases: ['Sở KH&ĐT', 'KHĐT'] }),
          ]),
        )
        .then([
          { ...added('phong-dau-tu', 'Phòng Đầu tư', { kind: 'unit' }) },
          { ...added('so-tai-chinh', 'Sở Tài chính', { aliases: ['STC'] }) },
          { type: 'AgencyAliasAdded', data: { cityId: 'hai-phong', agencyId: 'so-ke-hoach-va-dau-tu', alias: 'KHĐT', addedAt: at }, metadata: audit },
          { type: 'AgencyMoved', data: { cityId: 'hai-phong', agencyId: 'phong-dau-tu', parentId: 'so-tai-chinh', movedAt: at }, metadata: audit },
        ]));

    it('changes nothing for a file the directory already matches', () =>
      spec([khdt, taiChinh])
        .when(importing([row(2, 'so-tai-chinh', 'sở tài chính'), row(3, 'so-ke-hoach-va-dau-tu', 'Sở Kế hoạch và Đầu tư')]))
        .thenNothingHappened());

    it('renames, keeping the former name as an alias, with the import’s reason', () =>
      spec([taiChinh])
        .when(importing([row(2, 'so-tai-chinh', 'Sở Tài chính thành phố Hải Phòng')]))
        .then([
          {
            type: 'AgencyRenamed',
            data: {
              cityId: 'hai-phong',
              agencyId: 'so-tai-chinh',
              from: 'Sở Tài chính',
              to: 'Sở Tài chính thành phố Hải Phòng',
              reason: 'Nhập danh bạ tháng 7/2025',
              renamedAt: at,
            },
            metadata: audit,
          },
        ]));

    it('refuses the whole file, naming every bad line, when any row cannot apply', () => {
      spec([khdt])
        .when(
          importing([
            row(2, 'So Tai Chinh', 'Sở Tài chính'),
            row(3, 'so-xay-dung', 'Sở KH&ĐT'),
            row(4, 'phong-a', 'Phòng A', { kind: 'unit', parentId: 'so-khong-co' }),
            row(5, 'so-xay-dung', 'Sở Xây dựng'),
          ]),
        )
        .thenThrows(ValidationError, 'directory-file-invalid');
      expect(() =>
        directoryDecider.decide(
          importing([
            row(2, 'So Tai Chinh', 'Sở Tài chính'),
            row(3, 'so-xay-dung', 'Sở KH&ĐT'),
            row(4, 'phong-a', 'Phòng A', { kind: 'unit', parentId: 'so-khong-co' }),
          ]),
          fold(directoryDecider, [khdt]),
        ),
      ).toThrow(
        /3 error\(s\), nothing was changed: line 2: agencyId.*; line 3: "Sở KH&ĐT" already names Sở Kế hoạch và Đầu tư.*; line 4: No agency "so-khong-co"/,
      );
      spec([]).when(importing([])).thenThrows(ValidationError, 'directory-file-empty');
    });
  });

  describe('the leaders of the UBND (Chủ tịch, Phó Chủ tịch), whom plans name as directing a task', () => {
    const appointed = (leaderId: string, name: string, title = 'Phó Chủ tịch UBND Thành phố', fields: string[] = []): DirectoryEvent => ({
      type: 'LeaderAppointed',
      data: { cityId: 'hai-phong', leader: { leaderId, name, title, fields }, appointedAt: at },
      metadata: audit,
    });
    const tuan = appointed('leader-tuan', 'Dương Đức Tuấn', 'Phó Chủ tịch UBND Thành phố', ['Đô thị', 'Giao thông']);
    const dong = appointed('leader-dong', 'Nguyễn Trọng Đông');
    const relieved = (leaderId: string, reason = 'Nghị quyết của HĐND Thành phố miễn nhiệm'): DirectoryEvent => ({
      type: 'LeaderRelieved',
      data: { cityId: 'hai-phong', leaderId, reason, relievedAt: at },
      metadata: audit,
    });

    it('appoints a leader with the title and the fields they direct, the name as written', () =>
      spec([khdt])
        .when({
          type: 'AppointLeader',
          data: { leaderId: 'leader-tuan', name: ' Dương  Đức Tuấn ', title: 'Phó Chủ tịch UBND Thành phố', fields: ['Đô thị', 'Giao thông', 'đô  thị'] },
          metadata: office,
        })
        .then([tuan]));

    it('appoints the first leaders as one change, or none when one cannot be', () => {
      spec([])
        .when({
          type: 'AppointLeaders',
          data: {
            leaders: [
              { leaderId: 'leader-tuan', name: 'Dương Đức Tuấn', title: 'Phó Chủ tịch UBND Thành phố', fields: ['Đô thị', 'Giao thông'] },
              { leaderId: 'leader-dong', name: 'Nguyễn Trọng Đông', title: 'Phó Chủ tịch UBND Thành phố' },
            ],
          },
          metadata: office,
        })
        .then([tuan, dong]);
      spec([])
        .when({
          type: 'AppointLeaders',
          data: {
            leaders: [
              { leaderId: 'leader-tuan', name: 'Dương Đức Tuấn', title: 'Phó Chủ tịch' },
              { leaderId: 'leader-tuan-2', name: 'DƯƠNG ĐỨC TUẤN', title: 'Phó Chủ tịch' },
            ],
          },
          metadata: office,
        })
        .thenThrows(IllegalStateError, 'leader-name-taken');
      spec([])
        .when({ type: 'AppointLeaders', data: { leaders: [] }, metadata: office })
        .thenThrows(ValidationError, 'leaders-empty');
    });

    it('refuses an empty name or title, an id URLs cannot carry, an id taken, a second current leader of the same name', () => {
      const appoint = (data: object, given: DirectoryEvent[] = [tuan]) =>
        spec(given).when({
          type: 'AppointLeader',
          data: { leaderId: 'leader-new', name: 'Lê Khắc Nam', title: 'Phó Chủ tịch UBND Thành phố', ...data } as never,
          metadata: office,
        });
      appoint({ name: '  ' }).thenThrows(ValidationError, 'invalid-leader-name');
      appoint({ title: '' }).thenThrows(ValidationError, 'invalid-leader-title');
      appoint({ fields: [''] }).thenThrows(ValidationError, 'invalid-leader-field');
      appoint({ leaderId: 'Lê Khắc Nam' }).thenThrows(ValidationError, 'invalid-leader-id');
      appoint({ leaderId: 'leader-tuan' }).thenThrows(IllegalStateError, 'leader-exists');
      appoint({ name: 'dương đức  tuấn' }).thenThrows(IllegalStateError, 'leader-name-taken');
    });

    it('appoints a namesake of a relieved leader: the relieved one is history', () =>
      spec([tuan, relieved('leader-tuan')])
        .when({ type: 'AppointLeader', data: { leaderId: 'leader-tuan-2', name: 'Dương Đức Tuấn', title: 'Chủ tịch UBND Thành phố' }, metadata: office })
        .then([appointed('leader-tuan-2', 'Dương Đức Tuấn', 'Chủ tịch UBND Thành phố')]));

    it('is kept by the city office only, of its own city', () => {
      const appoint = { type: 'AppointLeader' as const, data: { leaderId: 'leader-nam', name: 'Lê Khắc Nam', title: 'Phó Chủ tịch UBND Thành phố' } };
      spec([])
        .when({ ...appoint, metadata: { ...office, role: 'planning' } })
        .thenThrows(ForbiddenError, 'directory-office-only');
      spec([khdt])
        .when({ ...appoint, metadata: { ...office, cityId: 'ha-noi' } })
        .thenThrows(ForbiddenError, 'other-city');
      spec([tuan])
        .when({ type: 'RelieveLeader', data: { leaderId: 'leader-tuan', reason: 'x' }, metadata: { ...office, role: 'leader' } })
        .thenThrows(ForbiddenError, 'directory-office-only');
    });

    it("changes a leader's title, with the reason; the same title again changes nothing", () => {
      const changed: DirectoryEvent = {
        type: 'LeaderTitleChanged',
        data: {
          cityId: 'hai-phong',
          leaderId: 'leader-tuan',
          from: 'Phó Chủ tịch UBND Thành phố',
          to: 'Chủ tịch UBND Thành phố',
          reason: 'Nghị quyết bầu Chủ tịch',
          changedAt: at,
        },
        metadata: audit,
      };
      spec([tuan])
        .when({
          type: 'ChangeLeaderTitle',
          data: { leaderId: 'leader-tuan', title: 'Chủ tịch UBND Thành phố', reason: 'Nghị quyết bầu Chủ tịch' },
          metadata: office,
        })
        .then([changed]);
      expect(fold(directoryDecider, [tuan, changed]).leaders[0]).toMatchObject({ name: 'Dương Đức Tuấn', title: 'Chủ tịch UBND Thành phố', current: true });
      spec([tuan])
        .when({ type: 'ChangeLeaderTitle', data: { leaderId: 'leader-tuan', title: 'Phó Chủ tịch UBND Thành phố', reason: 'x' }, metadata: office })
        .thenNothingHappened();
    });

    it('refuses a title change without a reason or an empty title, of a leader unknown or relieved', () => {
      const change = (data: object, given: DirectoryEvent[] = [tuan]) =>
        spec(given).when({
          type: 'ChangeLeaderTitle',
          data: { leaderId: 'leader-tuan', title: 'Chủ tịch UBND Thành phố', reason: 'Nghị quyết bầu Chủ tịch', ...data } as never,
          metadata: office,
        });
      change({ reason: ' ' }).thenThrows(ValidationError, 'reason-required');
      change({ title: '' }).thenThrows(ValidationError, 'invalid-leader-title');
      change({ leaderId: 'leader-khong-co' }).thenThrows(NotFoundError, 'leader-not-found');
      change({}, [tuan, relieved('leader-tuan')]).thenThrows(IllegalStateError, 'leader-relieved');
    });

    it('relieves a leader with the reason, once; unknown leaders and missing reasons are refused', () => {
      spec([tuan, dong])
        .when({ type: 'RelieveLeader', data: { leaderId: 'leader-tuan', reason: 'Nghị quyết của HĐND Thành phố miễn nhiệm' }, metadata: office })
        .then([relieved('leader-tuan')]);
      spec([tuan])
        .when({ type: 'RelieveLeader', data: { leaderId: 'leader-tuan', reason: '' }, metadata: office })
        .thenThrows(ValidationError, 'reason-required');
      spec([tuan])
        .when({ type: 'RelieveLeader', data: { leaderId: 'leader-khong-co', reason: 'x' }, metadata: office })
        .thenThrows(NotFoundError, 'leader-not-found');
      spec([tuan, relieved('leader-tuan')])
        .when({ type: 'RelieveLeader', data: { leaderId: 'leader-tuan', reason: 'x' }, metadata: office })
        .thenThrows(IllegalStateError, 'leader-relieved');
    });

    it('keeps a relieved leader, no longer current: the name still resolves, after the current leaders', () => {
      const state = fold(directoryDecider, [khdt, tuan, dong, relieved('leader-tuan')]);
      expect(state.leaders).toEqual([
        {
          leaderId: 'leader-tuan',
          name: 'Dương Đức Tuấn',
          title: 'Phó Chủ tịch UBND Thành phố',
          fields: ['Đô thị', 'Giao thông'],
          current: false,
          appointedAt: at,
          relievedAt: at,
        },
        {
          leaderId: 'leader-dong',
          name: 'Nguyễn Trọng Đông',
          title: 'Phó Chủ tịch UBND Thành phố',
          fields: [],
          current: true,
          appointedAt: at,
          relievedAt: null,
        },
      ]);
      expect(leaderNamesOf(state)).toEqual(['Nguyễn Trọng Đông', 'Dương Đức Tuấn']);
      // The agencies are left as they were.
      expect(state.agencies).toHaveLength(1);
    });
  });
});
