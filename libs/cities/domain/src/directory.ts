import {
  AGENCY_KINDS,
  type AgencyKind,
  auditOf,
  type Audit,
  collapse,
  ForbiddenError,
  IllegalStateError,
  isCalendarDay,
  NotFoundError,
  requireText,
  ValidationError,
  type Command,
  type Decider,
  type Event,
} from '@mandate/kernel';

/**
 * A city's directory of agencies (danh bạ cơ quan, đơn vị), kept by its office: the departments
 * (sở, ban, ngành), the UBND of each commune, ward and special zone (xã, phường, đặc khu) and their
 * offices, and the units under them. Names change and units merge (since 1 July 2025 Sở Kế hoạch và
 * Đầu tư is part of Sở Tài chính, and the districts are gone): an agency is never deleted, it is
 * deactivated or merged into its successor, and every name it had stays an alias, so an old document
 * still resolves.
 *
 * And the leaders of the city's UBND (Chủ tịch, Phó Chủ tịch), whom plans name as the leader directing
 * a task (lãnh đạo UBND phụ trách): appointed, their title changed, relieved (miễn nhiệm, thôi giữ
 * chức). A relieved leader is never removed either: plans written while they served still name them.
 */
export { AGENCY_KINDS, type AgencyKind } from '@mandate/kernel';

export type DirectoryAgency = {
  agencyId: string;
  name: string;
  kind: AgencyKind;
  /** The agency it belongs to (a department's unit, a commune UBND's office), or null. */
  parentId: string | null;
  /** Other names it is written under (abbreviations, former names). */
  aliases: string[];
  active: boolean;
  /** Set when it was merged: where its open work went, from which day. */
  successor: { agencyId: string; effectiveOn: string } | null;
};

export type AgencyAdded = Event<
  'AgencyAdded',
  { cityId: string; agency: Pick<DirectoryAgency, 'agencyId' | 'name' | 'kind' | 'parentId' | 'aliases'>; addedAt: string }
>;
export type AgencyRenamed = Event<'AgencyRenamed', { cityId: string; agencyId: string; from: string; to: string; reason: string; renamedAt: string }>;
export type AgencyAliasAdded = Event<'AgencyAliasAdded', { cityId: string; agencyId: string; alias: string; addedAt: string }>;
export type AgencyMoved = Event<'AgencyMoved', { cityId: string; agencyId: string; parentId: string | null; movedAt: string }>;
export type AgencyDeactivated = Event<'AgencyDeactivated', { cityId: string; agencyId: string; reason: string; deactivatedAt: string }>;
/** Predecessors into one successor (a merger), effective from a day: their open tasks move to it. */
export type AgenciesMerged = Event<
  'AgenciesMerged',
  { cityId: string; predecessorIds: string[]; successorId: string; effectiveOn: string; reason: string; mergedAt: string }
>;
/** A leader of the city's UBND as the directory keeps them. */
export type DirectoryLeader = {
  leaderId: string;
  /** The person's name as documents write it ("Dương Đức Tuấn"). */
  name: string;
  /** "Chủ tịch UBND Thành phố", "Phó Chủ tịch UBND Thành phố". */
  title: string;
  /** The fields (lĩnh vực) the leader is assigned to direct, as the office writes them; may be none. */
  fields: string[];
  /** False once relieved: the name still resolves in the plans that name them, but is no longer offered as a current leader. */
  current: boolean;
  appointedAt: string;
  relievedAt: string | null;
};

export type LeaderAppointed = Event<
  'LeaderAppointed',
  { cityId: string; leader: Pick<DirectoryLeader, 'leaderId' | 'name' | 'title' | 'fields'>; appointedAt: string }
>;
export type LeaderTitleChanged = Event<'LeaderTitleChanged', { cityId: string; leaderId: string; from: string; to: string; reason: string; changedAt: string }>;
/** Miễn nhiệm, thôi giữ chức: no longer a current leader. */
export type LeaderRelieved = Event<'LeaderRelieved', { cityId: string; leaderId: string; reason: string; relievedAt: string }>;
export type DirectoryEvent =
  AgencyAdded | AgencyRenamed | AgencyAliasAdded | AgencyMoved | AgencyDeactivated | AgenciesMerged | LeaderAppointed | LeaderTitleChanged | LeaderRelieved;

export type AddAgency = Command<'AddAgency', { agencyId: string; name: string; kind: AgencyKind; parentId?: string | null; aliases?: string[] }>;
export type RenameAgency = Command<'RenameAgency', { agencyId: string; name: string; reason: string }>;
export type AddAgencyAlias = Command<'AddAgencyAlias', { agencyId: string; alias: string }>;
export type MoveAgency = Command<'MoveAgency', { agencyId: string; parentId: string | null }>;
export type DeactivateAgency = Command<'DeactivateAgency', { agencyId: string; reason: string }>;
export type MergeAgencies = Command<'MergeAgencies', { predecessorIds: string[]; successorId: string; effectiveOn: string; reason: string }>;
/** A row of the directory as offices keep it in a spreadsheet (its line number, for the errors). */
export type DirectoryRow = { line: number; agencyId: string; name: string; kind: AgencyKind; parentId: string | null; aliases: string[] };
/**
 * The directory as a spreadsheet lists it, applied as one change: new agencies added, names that
 * differ renamed (the old one kept as an alias), aliases added, units moved under the parent the row
 * names. Agencies the file leaves out are left as they are (deactivating is a decision of its own).
 */
export type ImportDirectory = Command<'ImportDirectory', { rows: DirectoryRow[]; reason: string }>;
export type AppointLeader = Command<'AppointLeader', { leaderId: string; name: string; title: string; fields?: string[] }>;
/**
 * Several leaders appointed as one change (a city's first leaders, from the seeds): each as
 * AppointLeader would, and none unless every one is.
 */
export type AppointLeaders = Command<'AppointLeaders', { leaders: AppointLeader['data'][] }>;
export type ChangeLeaderTitle = Command<'ChangeLeaderTitle', { leaderId: string; title: string; reason: string }>;
export type RelieveLeader = Command<'RelieveLeader', { leaderId: string; reason: string }>;
export type DirectoryCommand =
  | AddAgency
  | RenameAgency
  | AddAgencyAlias
  | MoveAgency
  | DeactivateAgency
  | MergeAgencies
  | ImportDirectory
  | AppointLeader
  | AppointLeaders
  | ChangeLeaderTitle
  | RelieveLeader;

/** One directory per city; `agencies` and `leaders` in the order they were added. */
export type Directory = { cityId: string | null; agencies: DirectoryAgency[]; leaders: DirectoryLeader[] };

export const AGENCY_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const MAX_NAME = 300;

/**
 * How names are compared: Unicode-normalised, case and spacing ignored ("Sở Tư pháp" = "sở  tư PHÁP").
 * Remembered: an import checks each row against every name and alias of the directory, and computing
 * the key again each time made a 800-row file take 2 s on the plans service's event loop (the onboarding bench).
 */
const nameKeys = new Map<string, string>();
export const nameKey = (name: string): string => {
  let key = nameKeys.get(name);
  if (key === undefined) {
    if (nameKeys.size >= 50_000) nameKeys.clear();
    key = collapse(name).toLocaleLowerCase('vi');
    nameKeys.set(name, key);
  }
  return key;
};

const nameOf = (value: string, field: string): string => {
  const name = collapse(value ?? '');
  if (!name || name.length > MAX_NAME) throw new ValidationError(`${field}: 1 to ${MAX_NAME} characters`, 'invalid-agency-name');
  return name;
};

/** A leader's name, title or field: collapsed, 1 to 300 characters. */
const leaderText = (value: string, field: string, code: string): string => {
  const text = collapse(typeof value === 'string' ? value : '');
  if (!text || text.length > MAX_NAME) throw new ValidationError(`${field}: 1 to ${MAX_NAME} characters`, code);
  return text;
};

const MAX_FIELDS = 30;

/** A rename, a deactivation, a merger says why: the reason is kept in the directory's history. */
const reasonOf = (reason: string): string => requireText(reason, 'reason', 'reason-required');

const find = (state: Directory, agencyId: string): DirectoryAgency => {
  const agency = state.agencies.find((a) => a.agencyId === agencyId);
  if (!agency) throw new NotFoundError(`No agency "${agencyId}" in this city's directory`, 'agency-not-found');
  return agency;
};

const active = (state: Directory, agencyId: string): DirectoryAgency => {
  const agency = find(state, agencyId);
  if (!agency.active) throw new IllegalStateError(`"${agency.name}" is no longer active`, 'agency-inactive');
  return agency;
};

/** The agency (other than `except`) some active agency is already called by `name`, by name or alias. */
const holderOf = (state: Directory, name: string, except?: string): DirectoryAgency | undefined =>
  state.agencies.find((a) => a.active && a.agencyId !== except && [a.name, ...a.aliases].some((n) => nameKey(n) === nameKey(name)));

const unclaimed = (state: Directory, name: string, except?: string): void => {
  const holder = holderOf(state, name, except);
  if (holder) throw new IllegalStateError(`"${name}" already names ${holder.name} (${holder.agencyId})`, 'agency-name-taken');
};

const leaderOf = (state: Directory, leaderId: string): DirectoryLeader => {
  const leader = state.leaders.find((l) => l.leaderId === leaderId);
  if (!leader) throw new NotFoundError(`No leader "${leaderId}" in this city's directory`, 'leader-not-found');
  return leader;
};

const currentLeader = (state: Directory, leaderId: string): DirectoryLeader => {
  const leader = leaderOf(state, leaderId);
  if (!leader.current) throw new IllegalStateError(`${leader.name} was relieved and is no longer a leader`, 'leader-relieved');
  return leader;
};

const appoint = (data: AppointLeader['data'], state: Directory, city: string, at: string, metadata: Audit): LeaderAppointed => {
  if (!AGENCY_ID.test(data.leaderId ?? '') || data.leaderId.length > 80) {
    throw new ValidationError('leaderId: lower-case letters and digits in hyphenated words', 'invalid-leader-id');
  }
  if (state.leaders.some((l) => l.leaderId === data.leaderId)) throw new IllegalStateError(`The leader id "${data.leaderId}" is taken`, 'leader-exists');
  const name = leaderText(data.name, 'name', 'invalid-leader-name');
  const title = leaderText(data.title, 'title', 'invalid-leader-title');
  const fields = (data.fields ?? [])
    .map((f) => leaderText(f, 'fields', 'invalid-leader-field'))
    .filter((f, i, all) => all.findIndex((other) => nameKey(other) === nameKey(f)) === i);
  if (fields.length > MAX_FIELDS) throw new ValidationError(`fields: at most ${MAX_FIELDS}`, 'invalid-leader-field');
  // Two current leaders of one name could not be told apart in a plan; a relieved namesake is history.
  const namesake = state.leaders.find((l) => l.current && nameKey(l.name) === nameKey(name));
  if (namesake) throw new IllegalStateError(`"${name}" is already a current leader (${namesake.title})`, 'leader-name-taken');
  return { type: 'LeaderAppointed', data: { cityId: city, leader: { leaderId: data.leaderId, name, title, fields }, appointedAt: at }, metadata };
};

/** A parent must exist, be active, and not be the agency itself or under it. */
const parentOf = (state: Directory, agencyId: string, parentId: string | null | undefined): string | null => {
  if (!parentId) return null;
  active(state, parentId);
  for (let at: string | null = parentId; at; at = find(state, at).parentId) {
    if (at === agencyId) throw new ValidationError('An agency cannot belong to itself or to one of its own units', 'agency-cycle');
  }
  return parentId;
};

/**
 * Every row's commands against the directory as it grows: all the rows' errors at once (a file is
 * fixed in one go), and no event unless every row applies.
 */
const decideImport = (command: ImportDirectory, state: Directory): DirectoryEvent[] => {
  const { rows, reason } = command.data;
  if (rows.length === 0) throw new ValidationError('The file lists no agency', 'directory-file-empty');
  const metadata = command.metadata;
  const events: DirectoryEvent[] = [];
  const errors: { line: number; message: string }[] = [];
  let current = state;
  const apply = (line: number, sub: Exclude<DirectoryCommand, ImportDirectory>) => {
    try {
      for (const event of decide(sub, current)) {
        events.push(event);
        current = evolve(current, event);
      }
    } catch (error) {
      if (!(error instanceof ValidationError || error instanceof IllegalStateError || error instanceof NotFoundError)) throw error;
      errors.push({ line, message: error.message });
    }
  };
  const seen = new Set<string>();
  for (const row of rows) {
    if (seen.has(row.agencyId)) errors.push({ line: row.line, message: `the id "${row.agencyId}" is listed twice` });
    seen.add(row.agencyId);
  }
  // Agencies first, then where each belongs: a unit may come before its parent in the file.
  for (const row of rows) {
    const known = current.agencies.find((a) => a.agencyId === row.agencyId);
    if (!known) apply(row.line, { type: 'AddAgency', data: { agencyId: row.agencyId, name: row.name, kind: row.kind, aliases: row.aliases }, metadata });
    else {
      if (nameKey(known.name) !== nameKey(row.name ?? ''))
        apply(row.line, { type: 'RenameAgency', data: { agencyId: row.agencyId, name: row.name, reason }, metadata });
      for (const alias of row.aliases) apply(row.line, { type: 'AddAgencyAlias', data: { agencyId: row.agencyId, alias }, metadata });
    }
  }
  for (const row of rows) {
    const known = current.agencies.find((a) => a.agencyId === row.agencyId);
    if (known && known.active && (known.parentId ?? null) !== (row.parentId ?? null))
      apply(row.line, { type: 'MoveAgency', data: { agencyId: row.agencyId, parentId: row.parentId }, metadata });
  }
  if (errors.length) {
    const lines = errors.sort((a, b) => a.line - b.line).map((e) => `line ${e.line}: ${e.message}`);
    throw new ValidationError(
      `The directory file has ${lines.length} error(s), nothing was changed: ${lines.slice(0, 20).join('; ')}${lines.length > 20 ? '; …' : ''}`,
      'directory-file-invalid',
    );
  }
  return events;
};

const decide = (command: DirectoryCommand, state: Directory): DirectoryEvent[] => {
  const { role, cityId } = command.metadata;
  if (role !== 'office' && role !== 'operator')
    throw new ForbiddenError("Only the city office (or the platform operator) keeps the city's directory", 'directory-office-only');
  if (state.cityId !== null && state.cityId !== cityId && role !== 'operator') throw new ForbiddenError("Another city's directory", 'other-city');
  const city = state.cityId ?? cityId;
  const metadata = auditOf(command.metadata);
  const at = command.metadata.now.toISOString();
  switch (command.type) {
    case 'ImportDirectory':
      return decideImport(command, state);
    case 'AppointLeader':
      return [appoint(command.data, state, city, at, metadata)];
    case 'AppointLeaders': {
      const leaders = command.data.leaders ?? [];
      if (leaders.length === 0) throw new ValidationError('leaders: at least one leader is appointed', 'leaders-empty');
      let current = state;
      return leaders.map((data) => {
        const event = appoint(data, current, city, at, metadata);
        current = evolve(current, event);
        return event;
      });
    }
    case 'ChangeLeaderTitle': {
      const leader = currentLeader(state, command.data.leaderId);
      const title = leaderText(command.data.title, 'title', 'invalid-leader-title');
      if (title === leader.title) return [];
      return [
        {
          type: 'LeaderTitleChanged',
          data: { cityId: city, leaderId: leader.leaderId, from: leader.title, to: title, reason: reasonOf(command.data.reason), changedAt: at },
          metadata,
        },
      ];
    }
    case 'RelieveLeader': {
      const leader = currentLeader(state, command.data.leaderId);
      return [{ type: 'LeaderRelieved', data: { cityId: city, leaderId: leader.leaderId, reason: reasonOf(command.data.reason), relievedAt: at }, metadata }];
    }
    case 'AddAgency': {
      const d = command.data;
      if (!AGENCY_ID.test(d.agencyId ?? '') || d.agencyId.length > 80) {
        throw new ValidationError('agencyId: lower-case letters and digits in hyphenated words ("so-tai-chinh")', 'invalid-agency-id');
      }
      if (state.agencies.some((a) => a.agencyId === d.agencyId)) throw new IllegalStateError(`The agency id "${d.agencyId}" is taken`, 'agency-exists');
      if (!AGENCY_KINDS.includes(d.kind)) throw new ValidationError(`kind: one of ${AGENCY_KINDS.join(', ')}`, 'invalid-agency-kind');
      const name = nameOf(d.name, 'name');
      const aliases = [
        ...new Map(
          (d.aliases ?? [])
            .map((a) => nameOf(a, 'aliases'))
            .filter((a) => nameKey(a) !== nameKey(name))
            .map((a) => [nameKey(a), a]),
        ).values(),
      ];
      for (const n of [name, ...aliases]) unclaimed(state, n);
      const agency = { agencyId: d.agencyId, name, kind: d.kind, parentId: parentOf(state, d.agencyId, d.parentId), aliases };
      return [{ type: 'AgencyAdded', data: { cityId: city, agency, addedAt: at }, metadata }];
    }
    case 'RenameAgency': {
      const agency = active(state, command.data.agencyId);
      const name = nameOf(command.data.name, 'name');
      if (name === agency.name) return [];
      unclaimed(state, name, agency.agencyId);
      return [
        {
          type: 'AgencyRenamed',
          data: { cityId: city, agencyId: agency.agencyId, from: agency.name, to: name, reason: reasonOf(command.data.reason), renamedAt: at },
          metadata,
        },
      ];
    }
    case 'AddAgencyAlias': {
      const agency = active(state, command.data.agencyId);
      const alias = nameOf(command.data.alias, 'alias');
      if ([agency.name, ...agency.aliases].some((n) => nameKey(n) === nameKey(alias))) return [];
      unclaimed(state, alias, agency.agencyId);
      return [{ type: 'AgencyAliasAdded', data: { cityId: city, agencyId: agency.agencyId, alias, addedAt: at }, metadata }];
    }
    case 'MoveAgency': {
      const agency = active(state, command.data.agencyId);
      const parentId = parentOf(state, agency.agencyId, command.data.parentId);
      if (parentId === agency.parentId) return [];
      return [{ type: 'AgencyMoved', data: { cityId: city, agencyId: agency.agencyId, parentId, movedAt: at }, metadata }];
    }
    case 'DeactivateAgency': {
      const agency = active(state, command.data.agencyId);
      const units = state.agencies.filter((a) => a.active && a.parentId === agency.agencyId);
      if (units.length > 0) {
        throw new IllegalStateError(
          `${agency.name} still has active units (${units.map((u) => u.name).join(', ')}): move or deactivate them first`,
          'agency-has-units',
        );
      }
      return [
        { type: 'AgencyDeactivated', data: { cityId: city, agencyId: agency.agencyId, reason: reasonOf(command.data.reason), deactivatedAt: at }, metadata },
      ];
    }
    case 'MergeAgencies': {
      const d = command.data;
      const predecessorIds = [...new Set(d.predecessorIds ?? [])];
      if (predecessorIds.length === 0) throw new ValidationError('predecessorIds: at least one agency merges', 'merger-without-predecessors');
      if (predecessorIds.includes(d.successorId)) throw new ValidationError('An agency cannot merge into itself', 'merger-into-itself');
      if (!isCalendarDay(d.effectiveOn ?? '')) {
        throw new ValidationError('effectiveOn: a day, yyyy-mm-dd', 'invalid-effective-day');
      }
      const successor = active(state, d.successorId);
      for (const id of predecessorIds) active(state, id);
      // The successor's own chain up must not run through a predecessor (it would hang under a gone unit).
      for (let at: string | null = successor.parentId; at; at = find(state, at).parentId) {
        if (predecessorIds.includes(at)) throw new ValidationError('The successor cannot be a unit of an agency merging into it', 'merger-into-own-unit');
      }
      return [
        {
          type: 'AgenciesMerged',
          data: { cityId: city, predecessorIds, successorId: successor.agencyId, effectiveOn: d.effectiveOn, reason: reasonOf(d.reason), mergedAt: at },
          metadata,
        },
      ];
    }
  }
};

const update = (state: Directory, agencyId: string, change: (agency: DirectoryAgency) => DirectoryAgency): Directory => ({
  ...state,
  agencies: state.agencies.map((a) => (a.agencyId === agencyId ? change(a) : a)),
});

const updateLeader = (state: Directory, leaderId: string, change: (leader: DirectoryLeader) => DirectoryLeader): Directory => ({
  ...state,
  leaders: state.leaders.map((l) => (l.leaderId === leaderId ? change(l) : l)),
});

const evolve = (state: Directory, event: DirectoryEvent): Directory => {
  const started: Directory = { ...state, cityId: state.cityId ?? event.data.cityId };
  switch (event.type) {
    case 'AgencyAdded':
      return { ...started, agencies: [...started.agencies, { ...event.data.agency, active: true, successor: null }] };
    case 'AgencyRenamed':
      // The former name stays an alias: documents written before the change still name it.
      return update(started, event.data.agencyId, (a) => ({
        ...a,
        name: event.data.to,
        aliases: [...a.aliases.filter((n) => nameKey(n) !== nameKey(event.data.to)), event.data.from],
      }));
    case 'AgencyAliasAdded':
      return update(started, event.data.agencyId, (a) => ({ ...a, aliases: [...a.aliases, event.data.alias] }));
    case 'AgencyMoved':
      return update(started, event.data.agencyId, (a) => ({ ...a, parentId: event.data.parentId }));
    case 'AgencyDeactivated':
      return update(started, event.data.agencyId, (a) => ({ ...a, active: false }));
    case 'AgenciesMerged': {
      const { predecessorIds, successorId, effectiveOn } = event.data;
      return {
        ...started,
        agencies: started.agencies.map((a) =>
          predecessorIds.includes(a.agencyId)
            ? { ...a, active: false, successor: { agencyId: successorId, effectiveOn } }
            : // Units of a predecessor now belong to the successor.
              a.parentId && predecessorIds.includes(a.parentId)
              ? { ...a, parentId: successorId }
              : a,
        ),
      };
    }
    case 'LeaderAppointed':
      return { ...started, leaders: [...started.leaders, { ...event.data.leader, current: true, appointedAt: event.data.appointedAt, relievedAt: null }] };
    case 'LeaderTitleChanged':
      return updateLeader(started, event.data.leaderId, (l) => ({ ...l, title: event.data.to }));
    case 'LeaderRelieved':
      return updateLeader(started, event.data.leaderId, (l) => ({ ...l, current: false, relievedAt: event.data.relievedAt }));
  }
};

export const directoryDecider: Decider<Directory, DirectoryCommand, DirectoryEvent> = {
  decide,
  evolve,
  initialState: () => ({ cityId: null, agencies: [], leaders: [] }),
};

/**
 * The names a supervisor cell is resolved against: the current leaders', then those of the leaders
 * relieved since, so that a plan written while they served still names them (each name once).
 */
export const leaderNamesOf = (state: Directory): string[] => [
  ...new Set([...state.leaders.filter((l) => l.current), ...state.leaders.filter((l) => !l.current)].map((l) => l.name)),
];

/**
 * Where an agency's work goes now: itself while active, else its successor's (following mergers in
 * turn), or null for one deactivated without a successor.
 */
export const currentAgencyOf = (state: Directory, agencyId: string): DirectoryAgency | null => {
  const seen = new Set<string>();
  for (let agency = state.agencies.find((a) => a.agencyId === agencyId); agency && !seen.has(agency.agencyId);) {
    if (agency.active) return agency;
    seen.add(agency.agencyId);
    const next = agency.successor?.agencyId;
    agency = next ? state.agencies.find((a) => a.agencyId === next) : undefined;
  }
  return null;
};
