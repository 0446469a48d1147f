import { useCallback, useDeferredValue, useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { api, download, messageOf, request } from '../api';
import { DateField, SelectField } from '../components/fields';
import { Kpis } from '../components/kpis';
import { DoneMessage, ErrorMessage, RequestState } from '../components/messages';
import { Table } from '../components/table';
import { fill, useFormat, useWords } from '../i18n';
import { useSession } from '../session-context';
import { fold } from '../text';

/** GET /api/v1/directory?all=true: the city's agencies, the merged and inactive ones too. */
type Agency = {
  id: string;
  name: string;
  kind: string;
  parentId: string | null;
  aliases: string[];
  active: boolean;
  successor: { agencyId: string; effectiveOn: string } | null;
};
/** GET /api/v1/directory?all=true: each leader of the UBND, the relieved ones too. */
type Leader = { id: string; name: string; title: string; fields: string[]; current: boolean; appointedAt: string; relievedAt: string | null };
type Directory = { cityId: string; version: string; agencies: Agency[]; leadership?: Leader[] };
type Changes = { added: number; renamed: number; aliasesAdded: number; moved: number };

const KINDS = ['department', 'committee', 'commune', 'district', 'ministry', 'institute', 'unit', 'other'] as const;

const WORDS = {
  vi: {
    title: 'Danh bạ cơ quan, đơn vị',
    intro: 'Các sở, ban, ngành, UBND xã, phường, đặc khu và đơn vị trực thuộc mà kế hoạch giao nhiệm vụ. Mỗi thay đổi được ghi lại và kiểm tra được.',
    active: 'Đang hoạt động',
    departments: 'Sở, ban, ngành',
    communes: 'UBND xã, phường, đặc khu',
    merged: 'Đã sáp nhập',
    search: 'Tìm theo mã, tên hoặc tên khác',
    id: 'Mã',
    name: 'Tên cơ quan, đơn vị',
    kind: 'Loại',
    parent: 'Trực thuộc',
    aliases: 'Tên khác',
    status: 'Trạng thái',
    inactive: 'Ngừng hoạt động',
    mergedInto: 'Sáp nhập vào {name} từ {day}',
    shown: 'Hiển thị {shown}/{n} cơ quan, đơn vị',
    none: 'Danh bạ chưa có cơ quan nào: nhập từ tệp Excel hoặc CSV.',
    exportXlsx: 'Tải Excel',
    exportCsv: 'Tải CSV',
    importTitle: 'Nhập danh bạ từ tệp',
    importHelp:
      'Tệp Excel (.xlsx) hoặc CSV có dòng tiêu đề: Mã, Tên cơ quan, đơn vị, Loại, Trực thuộc (mã), Tên khác. Cơ quan mới được thêm, tên khác đi được đổi (tên cũ giữ làm tên khác); cơ quan không có trong tệp giữ nguyên.',
    file: 'Tệp danh bạ',
    check: 'Xem trước thay đổi',
    preview: 'Tệp sẽ: thêm {added}, đổi tên {renamed}, thêm {aliasesAdded} tên khác, chuyển {moved} đơn vị.',
    nothing: 'Danh bạ đã khớp với tệp: không có gì thay đổi.',
    apply: 'Cập nhật danh bạ',
    applied: 'Đã cập nhật danh bạ: thêm {added}, đổi tên {renamed}, thêm {aliasesAdded} tên khác, chuyển {moved} đơn vị.',
    mergeTitle: 'Sáp nhập cơ quan',
    mergeHelp:
      'Cơ quan bị sáp nhập ngừng hoạt động; tên của nó được hiểu là cơ quan tiếp nhận, và các nhiệm vụ đang thực hiện được giao cho cơ quan tiếp nhận.',
    predecessor: 'Cơ quan bị sáp nhập',
    successor: 'Cơ quan tiếp nhận',
    effectiveOn: 'Từ ngày',
    reason: 'Căn cứ, lý do',
    pick: 'Chọn…',
    merge: 'Sáp nhập',
    mergedDone: 'Đã sáp nhập; {n} nhiệm vụ được giao cho cơ quan tiếp nhận.',
    required: 'Chọn hai cơ quan khác nhau, ngày và ghi căn cứ.',
    leadersTitle: 'Lãnh đạo UBND',
    leadersIntro:
      'Chủ tịch, Phó Chủ tịch UBND mà kế hoạch ghi là lãnh đạo phụ trách nhiệm vụ: khi nhập văn bản, tên của họ được nhận ra, kể cả khi viết sai chính tả. Người đã thôi giữ chức vẫn được nhận ra trong các kế hoạch cũ.',
    leaderName: 'Họ và tên',
    leaderTitle: 'Chức danh',
    leaderFields: 'Lĩnh vực phụ trách',
    noLeaders: 'Danh bạ chưa có lãnh đạo nào.',
    formerLeaders: 'Đã thôi giữ chức: {names}.',
    appointTitle: 'Thêm lãnh đạo',
    appointHelp: 'Chức danh như văn bản ghi, ví dụ "Phó Chủ tịch UBND Thành phố".',
    fieldsInput: 'Lĩnh vực phụ trách (cách nhau bởi ;)',
    appoint: 'Thêm lãnh đạo',
    appointed: 'Đã thêm {name} vào danh bạ.',
    appointRequired: 'Ghi họ và tên và chức danh.',
    changeTitle: 'Đổi chức danh, thôi giữ chức',
    leaderPick: 'Lãnh đạo',
    newTitle: 'Chức danh mới',
    titleReason: 'Lý do đổi chức danh',
    retitle: 'Đổi chức danh',
    retitled: 'Đã đổi chức danh của {name}.',
    relieveReason: 'Căn cứ miễn nhiệm, thôi giữ chức',
    relieve: 'Thôi giữ chức',
    relieved: '{name} đã thôi giữ chức.',
    retitleRequired: 'Chọn lãnh đạo, ghi chức danh mới và lý do.',
    relieveRequired: 'Chọn lãnh đạo và ghi căn cứ miễn nhiệm, thôi giữ chức.',
  },
  en: {
    title: 'Directory of agencies',
    intro: 'The departments, commune, ward and special-zone committees and their units that plans give tasks to. Every change is recorded and verifiable.',
    active: 'Active',
    departments: 'Departments',
    communes: 'Commune committees',
    merged: 'Merged',
    search: 'Search by id, name or other name',
    id: 'Id',
    name: 'Agency',
    kind: 'Kind',
    parent: 'Under',
    aliases: 'Other names',
    status: 'Status',
    inactive: 'Inactive',
    mergedInto: 'Merged into {name} from {day}',
    shown: 'Showing {shown} of {n} agencies',
    none: 'The directory is empty: import it from an Excel or CSV file.',
    exportXlsx: 'Download Excel',
    exportCsv: 'Download CSV',
    importTitle: 'Import the directory from a file',
    importHelp:
      'An Excel (.xlsx) or CSV file with a header row: Mã, Tên cơ quan, đơn vị, Loại, Trực thuộc (mã), Tên khác. New agencies are added, changed names renamed (the old one kept as another name); agencies the file leaves out stay as they are.',
    file: 'Directory file',
    check: 'Preview the changes',
    preview: 'The file will: add {added}, rename {renamed}, add {aliasesAdded} other names, move {moved} units.',
    nothing: 'The directory already matches the file: nothing changes.',
    apply: 'Update the directory',
    applied: 'Directory updated: {added} added, {renamed} renamed, {aliasesAdded} other names, {moved} moved.',
    mergeTitle: 'Merge agencies',
    mergeHelp: 'The merged agency becomes inactive; its name is read as the successor, and its open tasks pass to the successor.',
    predecessor: 'Agency merged',
    successor: 'Successor',
    effectiveOn: 'From',
    reason: 'Basis, reason',
    pick: 'Pick…',
    merge: 'Merge',
    mergedDone: 'Merged; {n} tasks passed to the successor.',
    required: 'Pick two different agencies, a day and the basis.',
    leadersTitle: 'Leaders of the People’s Committee',
    leadersIntro:
      'The chair and vice-chairs that plans name as directing a task: an import recognises their names, misspelt ones too. A leader relieved of office is still recognised in older plans.',
    leaderName: 'Name',
    leaderTitle: 'Title',
    leaderFields: 'Fields directed',
    noLeaders: 'The directory has no leaders yet.',
    formerLeaders: 'Relieved of office: {names}.',
    appointTitle: 'Add a leader',
    appointHelp: 'The title as documents write it, e.g. "Phó Chủ tịch UBND Thành phố".',
    fieldsInput: 'Fields directed (separated by ;)',
    appoint: 'Add the leader',
    appointed: '{name} added to the directory.',
    appointRequired: 'Write the name and the title.',
    changeTitle: 'Change a title, relieve of office',
    leaderPick: 'Leader',
    newTitle: 'New title',
    titleReason: 'Reason for the new title',
    retitle: 'Change the title',
    retitled: 'The title of {name} was changed.',
    relieveReason: 'Basis for relieving of office',
    relieve: 'Relieve of office',
    relieved: '{name} was relieved of office.',
    retitleRequired: 'Pick a leader, write the new title and the reason.',
    relieveRequired: 'Pick a leader and write the basis.',
  },
};
type Words = (typeof WORDS)['vi'];

const KIND_WORDS: Record<'vi' | 'en', Record<(typeof KINDS)[number], string>> = {
  vi: {
    department: 'Sở, ban, ngành',
    committee: 'UBND, Văn phòng UBND',
    commune: 'UBND xã, phường, đặc khu',
    district: 'Cấp huyện (trước 01/7/2025)',
    ministry: 'Bộ, cơ quan trung ương',
    institute: 'Đơn vị sự nghiệp',
    unit: 'Đơn vị trực thuộc',
    other: 'Khác',
  },
  en: {
    department: 'Department',
    committee: 'People’s committee',
    commune: 'Commune committee',
    district: 'District (before 1 July 2025)',
    ministry: 'Ministry, central body',
    institute: 'Public service unit',
    unit: 'Unit',
    other: 'Other',
  },
};

const changesOf = (answer: { changes?: Partial<Changes> }): Changes => ({
  added: answer.changes?.added ?? 0,
  renamed: answer.changes?.renamed ?? 0,
  aliasesAdded: answer.changes?.aliasesAdded ?? 0,
  moved: answer.changes?.moved ?? 0,
});
const changed = (c: Changes) => c.added + c.renamed + c.aliasesAdded + c.moved > 0;
const counts = (c: Changes) => ({ added: c.added, renamed: c.renamed, aliasesAdded: c.aliasesAdded, moved: c.moved });

/** The office's import: the file previewed (a dry run) before it is applied. */
const ImportForm = ({ words, onApplied }: { words: Words; onApplied: () => void }) => {
  const fileId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<Changes | null>(null);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  const send = async (dryRun: boolean) => {
    if (!file) return;
    setBusy(true);
    setError('');
    setDone('');
    try {
      const response = await request(`/api/v1/directory/import?dryRun=${dryRun}`, {
        method: 'POST',
        raw: file,
        contentType: file.type || 'application/octet-stream',
      });
      const answer = changesOf((await response.json()) as { changes?: Partial<Changes> });
      if (dryRun) setPreview(answer);
      else {
        setPreview(null);
        setFile(null);
        setDone(fill(words.applied, counts(answer)));
        onApplied();
      }
    } catch (failure) {
      setPreview(null);
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby={`${fileId}-title`}>
      <h2 id={`${fileId}-title`}>{words.importTitle}</h2>
      <p className="muted">{words.importHelp}</p>
      <label htmlFor={fileId}>
        {words.file}
        <input
          id={fileId}
          type="file"
          accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            setPreview(null);
            setDone('');
            setError('');
          }}
        />
      </label>
      <div className="row">
        <button type="button" disabled={!file || busy} onClick={() => void send(true)}>
          {words.check}
        </button>
        {preview && changed(preview) && (
          <button type="button" className="primary" disabled={busy} onClick={() => void send(false)}>
            {words.apply}
          </button>
        )}
      </div>
      {preview && <p role="status">{changed(preview) ? fill(words.preview, counts(preview)) : words.nothing}</p>}
      {error && <ErrorMessage error={error} />}
      {done && <DoneMessage message={done} />}
    </section>
  );
};

/** The office's merger of one agency into another, from a day, with its basis. */
const MergeForm = ({ words, agencies, onMerged }: { words: Words; agencies: Agency[]; onMerged: () => void }) => {
  const id = useId();
  const [predecessor, setPredecessor] = useState('');
  const [successor, setSuccessor] = useState('');
  const [effectiveOn, setEffectiveOn] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const options = agencies.filter((a) => a.active).map((a) => [a.id, a.name] as const);
  const submit = async () => {
    setError('');
    setDone('');
    if (!predecessor || !successor || predecessor === successor || !effectiveOn || !reason.trim()) return setError(words.required);
    try {
      const answer = await api<{ tasksMoved?: number }>('/api/v1/directory/mergers', {
        method: 'POST',
        body: { predecessorIds: [predecessor], successorId: successor, effectiveOn, reason },
      });
      setDone(fill(words.mergedDone, { n: answer.tasksMoved ?? 0 }));
      setPredecessor('');
      setReason('');
      onMerged();
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{words.mergeTitle}</h2>
      <p className="muted">{words.mergeHelp}</p>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <SelectField id={`${id}-from`} label={words.predecessor} value={predecessor} onChange={setPredecessor} all={words.pick} options={options} />
        <SelectField id={`${id}-to`} label={words.successor} value={successor} onChange={setSuccessor} all={words.pick} options={options} />
        <DateField id={`${id}-day`} label={words.effectiveOn} value={effectiveOn} onChange={setEffectiveOn} required />
        <label htmlFor={`${id}-reason`}>
          {words.reason}
          <input id={`${id}-reason`} type="text" value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={4000} />
        </label>
        <button type="submit" className="primary">
          {words.merge}
        </button>
      </form>
      {error && <ErrorMessage error={error} />}
      {done && <DoneMessage message={done} />}
    </section>
  );
};

/** The leaders of the UBND: the current ones with their titles, the relieved named below. */
const LeadersSection = ({ words, leaders }: { words: Words; leaders: Leader[] }) => {
  const id = useId();
  const current = leaders.filter((l) => l.current);
  const former = leaders.filter((l) => !l.current);
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{words.leadersTitle}</h2>
      <p className="muted">{words.leadersIntro}</p>
      {current.length === 0 ? (
        <p className="muted">{words.noLeaders}</p>
      ) : (
        <Table head={[words.leaderName, words.leaderTitle, words.leaderFields]} caption={words.leadersTitle} className="leaders-table">
          <tbody>
            {current.map((l) => (
              <tr key={l.id}>
                <td>{l.name}</td>
                <td>{l.title}</td>
                <td>{l.fields.join('; ')}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {former.length > 0 && <p className="muted">{fill(words.formerLeaders, { names: former.map((l) => `${l.name} (${l.title})`).join(', ') })}</p>}
    </section>
  );
};

/** The office adds a leader: name, title, the fields they direct. */
const AppointForm = ({ words, onAppointed }: { words: Words; onAppointed: () => void }) => {
  const id = useId();
  const [name, setName] = useState('');
  const [title, setTitle] = useState('');
  const [fields, setFields] = useState('');
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const submit = async () => {
    setError('');
    setDone('');
    if (!name.trim() || !title.trim()) return setError(words.appointRequired);
    try {
      const list = fields
        .split(';')
        .map((f) => f.trim())
        .filter(Boolean);
      const leader = await api<Leader>('/api/v1/directory/leaders', { method: 'POST', body: { name, title, fields: list } });
      setDone(fill(words.appointed, { name: leader.name }));
      setName('');
      setTitle('');
      setFields('');
      onAppointed();
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{words.appointTitle}</h2>
      <p className="muted">{words.appointHelp}</p>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label htmlFor={`${id}-name`}>
          {words.leaderName}
          <input id={`${id}-name`} type="text" value={name} onChange={(e) => setName(e.target.value)} required maxLength={300} autoComplete="off" />
        </label>
        <label htmlFor={`${id}-title-input`}>
          {words.leaderTitle}
          <input id={`${id}-title-input`} type="text" value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={300} />
        </label>
        <label htmlFor={`${id}-fields`}>
          {words.fieldsInput}
          <input id={`${id}-fields`} type="text" value={fields} onChange={(e) => setFields(e.target.value)} maxLength={4000} />
        </label>
        <button type="submit" className="primary">
          {words.appoint}
        </button>
      </form>
      {error && <ErrorMessage error={error} />}
      {done && <DoneMessage message={done} />}
    </section>
  );
};

/** The office changes a current leader's title, or relieves them (miễn nhiệm, thôi giữ chức); each says why. */
const LeaderChangeForm = ({ words, leaders, onChanged }: { words: Words; leaders: Leader[]; onChanged: () => void }) => {
  const id = useId();
  const [leaderId, setLeaderId] = useState('');
  const [title, setTitle] = useState('');
  const [titleReason, setTitleReason] = useState('');
  const [relieveReason, setRelieveReason] = useState('');
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const current = leaders.filter((l) => l.current);
  const options = current.map((l) => [l.id, `${l.name} (${l.title})`] as const);
  const send = async (action: 'title' | 'relieve') => {
    setError('');
    setDone('');
    const reason = action === 'title' ? titleReason : relieveReason;
    if (!leaderId || !reason.trim() || (action === 'title' && !title.trim()))
      return setError(action === 'title' ? words.retitleRequired : words.relieveRequired);
    try {
      const body = action === 'title' ? { title, reason } : { reason };
      const leader = await api<Leader>(`/api/v1/directory/leaders/${encodeURIComponent(leaderId)}/${action}`, { method: 'POST', body });
      setDone(fill(action === 'title' ? words.retitled : words.relieved, { name: leader.name }));
      if (action === 'title') {
        setTitle('');
        setTitleReason('');
      } else {
        setLeaderId('');
        setRelieveReason('');
      }
      onChanged();
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  const onSubmit = (action: 'title' | 'relieve') => (e: FormEvent) => {
    e.preventDefault();
    void send(action);
  };
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{words.changeTitle}</h2>
      <SelectField id={`${id}-leader`} label={words.leaderPick} value={leaderId} onChange={setLeaderId} all={words.pick} options={options} />
      <form className="row" onSubmit={onSubmit('title')}>
        <label htmlFor={`${id}-new-title`}>
          {words.newTitle}
          <input id={`${id}-new-title`} type="text" value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={300} />
        </label>
        <label htmlFor={`${id}-title-reason`}>
          {words.titleReason}
          <input id={`${id}-title-reason`} type="text" value={titleReason} onChange={(e) => setTitleReason(e.target.value)} required maxLength={4000} />
        </label>
        <button type="submit">{words.retitle}</button>
      </form>
      <form className="row" onSubmit={onSubmit('relieve')}>
        <label htmlFor={`${id}-relieve-reason`}>
          {words.relieveReason}
          <input id={`${id}-relieve-reason`} type="text" value={relieveReason} onChange={(e) => setRelieveReason(e.target.value)} required maxLength={4000} />
        </label>
        <button type="submit">{words.relieve}</button>
      </form>
      {error && <ErrorMessage error={error} />}
      {done && <DoneMessage message={done} />}
    </section>
  );
};

const DirectoryPage = () => {
  const words = useWords(WORDS);
  const kinds = useWords(KIND_WORDS);
  const format = useFormat();
  const session = useSession();
  const searchId = useId();
  const [directory, setDirectory] = useState<Directory | null>(null);
  const [error, setError] = useState('');
  const [search, setSearch] = useState('');
  const deferred = useDeferredValue(search);
  const load = useCallback(() => {
    api<Directory>('/api/v1/directory?all=true').then(
      (answer) => (setDirectory(answer), setError('')),
      (failure: unknown) => setError(messageOf(failure)),
    );
  }, []);
  useEffect(load, [load]);

  const agencies = useMemo(() => directory?.agencies ?? [], [directory]);
  const leaders = useMemo(() => directory?.leadership ?? [], [directory]);
  const nameOf = useMemo(() => new Map(agencies.map((a) => [a.id, a.name])), [agencies]);
  const shown = useMemo(() => {
    const needle = fold(deferred.trim());
    return needle ? agencies.filter((a) => fold(`${a.id} ${a.name} ${a.aliases.join(' ')}`).includes(needle)) : agencies;
  }, [agencies, deferred]);
  const active = agencies.filter((a) => a.active);
  const office = session.session.actor.role === 'office';

  return (
    <div className="directory-page">
      <h1>{words.title}</h1>
      <p className="muted">{words.intro}</p>
      <RequestState error={error} loading={!directory && !error} loaded={!!directory} />
      {directory && (
        <>
          <Kpis
            items={[
              { key: 'active', name: words.active, value: format.number(active.length) },
              { key: 'departments', name: words.departments, value: format.number(active.filter((a) => a.kind === 'department').length) },
              { key: 'communes', name: words.communes, value: format.number(active.filter((a) => a.kind === 'commune').length) },
              { key: 'merged', name: words.merged, value: format.number(agencies.filter((a) => a.successor).length) },
            ]}
          />
          <section className="card">
            <div className="row">
              <button type="button" onClick={() => void download('/api/v1/directory/export?format=xlsx', `danh-ba-${directory.cityId}.xlsx`)}>
                {words.exportXlsx}
              </button>
              <button type="button" onClick={() => void download('/api/v1/directory/export?format=csv', `danh-ba-${directory.cityId}.csv`)}>
                {words.exportCsv}
              </button>
              <label htmlFor={searchId}>
                {words.search}
                <input id={searchId} type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
              </label>
            </div>
            <p className="muted" aria-live="polite">
              {fill(words.shown, { shown: format.number(shown.length), n: format.number(agencies.length) })}
            </p>
            {agencies.length === 0 ? (
              <p className="muted">{words.none}</p>
            ) : (
              <Table head={[words.id, words.name, words.kind, words.parent, words.aliases, words.status]} caption={words.title} className="directory-table">
                <tbody>
                  {shown.map((a) => (
                    <tr key={a.id} className={a.active ? undefined : 'muted'}>
                      <td>
                        <code>{a.id}</code>
                      </td>
                      <td>{a.name}</td>
                      <td>{kinds[a.kind as (typeof KINDS)[number]] ?? a.kind}</td>
                      <td>{a.parentId ? (nameOf.get(a.parentId) ?? a.parentId) : ''}</td>
                      <td>{a.aliases.join('; ')}</td>
                      <td>
                        {a.active
                          ? words.active
                          : a.successor
                            ? fill(words.mergedInto, {
                                name: nameOf.get(a.successor.agencyId) ?? a.successor.agencyId,
                                day: format.date(a.successor.effectiveOn),
                              })
                            : words.inactive}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            )}
          </section>
          {office && <ImportForm words={words} onApplied={load} />}
          {office && active.length > 1 && <MergeForm words={words} agencies={agencies} onMerged={load} />}
          <LeadersSection words={words} leaders={leaders} />
          {office && <AppointForm words={words} onAppointed={load} />}
          {office && leaders.some((l) => l.current) && <LeaderChangeForm words={words} leaders={leaders} onChanged={load} />}
        </>
      )}
    </div>
  );
};

export default DirectoryPage;
