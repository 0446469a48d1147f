import {
  auditOf,
  collapse,
  ForbiddenError,
  IllegalStateError,
  isCityId,
  NotFoundError,
  PERIOD_KINDS,
  PLATFORM_CITY,
  requireText,
  ValidationError,
  type Command,
  type Decider,
  type Event,
  type ReportingCalendarSettings,
} from '@mandate/kernel';

/**
 * A city (tỉnh, thành phố trực thuộc trung ương) the deployment serves, as the platform operator
 * manages it: created with its settings, changed, suspended and resumed, each time with a reason.
 * Since 1 July 2025 Vietnam has 34 of them; a commune (xã, phường, đặc khu) is a unit of its
 * province, not a city here.
 */
export const CITY_LEVELS = ['province', 'city'] as const;
export type CityLevel = (typeof CITY_LEVELS)[number];

/**
 * The city's own identity provider (the province's SSO): its tokens may speak for this city only.
 * Several cities may share one issuer (then each lists it); the deployment's own provider
 * (OIDC_ISSUER) speaks for every city and for the operator.
 */
export type IdentityProvider = {
  /** The `iss` of its tokens, an https URL (http only on loopback, for development). */
  issuer: string;
  /** The client id Mandate's tokens are issued for (`aud`). */
  audience: string;
  /** Where its signing keys are; null: found through the issuer's discovery document. */
  jwksUrl: string | null;
  /** The claims that carry the user's city, role and agency. */
  claims: { city: string; role: string; agency: string };
};

export const DEFAULT_IDENTITY_CLAIMS = { city: 'mandate_city', role: 'mandate_role', agency: 'mandate_agency' } as const;

export type CitySettings = {
  name: string;
  /** tỉnh (province) or thành phố trực thuộc trung ương (city) */
  level: CityLevel;
  /** IANA time zone its days are counted in (Asia/Ho_Chi_Minh for every city today) */
  timeZone: string;
  /** Days before a due date a task shows as due soon (sắp đến hạn) */
  dueSoonDays: number;
  /** Its departures from NĐ 09/2019's reporting calendar (cut-off and sending days) */
  reporting: ReportingCalendarSettings;
  /** Its own identity provider, or null: its users sign in through the deployment's. */
  identityProvider: IdentityProvider | null;
};

export type CityCreated = Event<'CityCreated', { cityId: string; settings: CitySettings; reason: string; createdAt: string }>;
/**
 * `changes`: only the settings that changed, with their new values; `settings`: all of them after
 * the change. Every event of a city carries its whole settings, so a reader of one event (the
 * relay, a process reading the compacted cities topic) knows the city without its history.
 */
export type CitySettingsChanged = Event<
  'CitySettingsChanged',
  { cityId: string; changes: Partial<CitySettings>; settings: CitySettings; status: 'active' | 'suspended'; reason: string; changedAt: string }
>;
export type CitySuspended = Event<'CitySuspended', { cityId: string; settings: CitySettings; reason: string; suspendedAt: string }>;
export type CityResumed = Event<'CityResumed', { cityId: string; settings: CitySettings; reason: string; resumedAt: string }>;
/**
 * The city merged into another (Hải Dương into Hải Phòng, 1 July 2025): its plans and tasks go on in
 * the successor's log, its users and keys are refused. Final: a merged city takes no more changes.
 */
export type CityMerged = Event<'CityMerged', { cityId: string; into: string; settings: CitySettings; reason: string; mergedAt: string }>;
export type CityEvent = CityCreated | CitySettingsChanged | CitySuspended | CityResumed | CityMerged;

export type CreateCity = Command<
  'CreateCity',
  {
    cityId: string;
    name: string;
    level: CityLevel;
    timeZone?: string;
    dueSoonDays?: number;
    reporting?: ReportingCalendarSettings;
    identityProvider?: IdentityProviderInput | null;
    reason: string;
  }
>;
/** An identity provider as the operator gives it: without jwksUrl or claims, discovery and the usual claim names. */
export type IdentityProviderInput = Omit<IdentityProvider, 'jwksUrl' | 'claims'> & { jwksUrl?: string | null; claims?: Partial<IdentityProvider['claims']> };
export type ChangeCitySettings = Command<
  'ChangeCitySettings',
  { cityId: string; changes: Partial<Omit<CitySettings, 'identityProvider'>> & { identityProvider?: IdentityProviderInput | null }; reason: string }
>;
export type SuspendCity = Command<'SuspendCity', { cityId: string; reason: string }>;
export type ResumeCity = Command<'ResumeCity', { cityId: string; reason: string }>;
/** `into`: the successor, which the service has found active. */
export type MergeCity = Command<'MergeCity', { cityId: string; into: string; reason: string }>;
export type CityCommand = CreateCity | ChangeCitySettings | SuspendCity | ResumeCity | MergeCity;

export type City =
  | { status: 'none' }
  | { status: 'active' | 'suspended'; cityId: string; settings: CitySettings }
  | { status: 'merged'; cityId: string; settings: CitySettings; mergedInto: string };

export const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh';
export const DEFAULT_DUE_SOON_DAYS = 3;
const MAX_NAME = 200;
/** Every change to a city says why: the reason is kept in the operator log. */
const reasonOf = (reason: string): string => requireText(reason, 'reason', 'reason-required');

const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const dayIn = (value: unknown, field: string, max: number): number => {
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > max) {
    throw new ValidationError(`${field}: a whole day of the month from 1 to ${max}`, 'invalid-reporting-calendar');
  }
  return value as number;
};

/** The settings, checked one by one (each message names the field). */
const checked = (settings: Partial<Omit<CitySettings, 'identityProvider'>> & { identityProvider?: IdentityProviderInput | null }): Partial<CitySettings> => {
  const out: Partial<CitySettings> = {};
  if (settings.identityProvider !== undefined) out.identityProvider = identityProviderOf(settings.identityProvider);
  if (settings.name !== undefined) {
    const name = collapse(settings.name);
    if (!name || name.length > MAX_NAME) throw new ValidationError(`name: 1 to ${MAX_NAME} characters`, 'invalid-city-name');
    out.name = name;
  }
  if (settings.level !== undefined) {
    if (!CITY_LEVELS.includes(settings.level)) throw new ValidationError(`level: one of ${CITY_LEVELS.join(', ')}`, 'invalid-city-level');
    out.level = settings.level;
  }
  if (settings.timeZone !== undefined) {
    if (!isTimeZone(settings.timeZone)) throw new ValidationError(`timeZone: "${settings.timeZone}" is not an IANA time zone`, 'invalid-time-zone');
    out.timeZone = settings.timeZone;
  }
  if (settings.dueSoonDays !== undefined) {
    if (!Number.isInteger(settings.dueSoonDays) || settings.dueSoonDays < 0 || settings.dueSoonDays > 60) {
      throw new ValidationError('dueSoonDays: a whole number of days from 0 to 60', 'invalid-due-soon-days');
    }
    out.dueSoonDays = settings.dueSoonDays;
  }
  if (settings.reporting !== undefined) {
    const { cutoffDay, dueDay } = settings.reporting;
    const reporting: ReportingCalendarSettings = {};
    if (cutoffDay !== undefined) reporting.cutoffDay = dayIn(cutoffDay, 'reporting.cutoffDay', 28);
    if (typeof dueDay === 'number') reporting.dueDay = dayIn(dueDay, 'reporting.dueDay', 31);
    else if (dueDay !== undefined) {
      for (const kind of Object.keys(dueDay)) {
        if (!(PERIOD_KINDS as readonly string[]).includes(kind))
          throw new ValidationError(`reporting.dueDay: "${kind}" is not a period kind`, 'invalid-reporting-calendar');
      }
      reporting.dueDay = Object.fromEntries(Object.entries(dueDay).map(([kind, day]) => [kind, dayIn(day, `reporting.dueDay.${kind}`, 31)]));
    }
    out.reporting = reporting;
  }
  return out;
};

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
const CLAIM = /^[A-Za-z_][A-Za-z0-9_.:-]{0,99}$/;

/** An https URL, or http on loopback (a provider on the developer's machine). */
const providerUrl = (value: unknown, field: string): string => {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new ValidationError(`${field}: not a URL`, 'invalid-identity-provider');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw new ValidationError(`${field}: an https URL (http only on loopback)`, 'invalid-identity-provider');
  }
  return String(value).replace(/\/$/, '');
};

const identityProviderOf = (input: IdentityProviderInput | null): IdentityProvider | null => {
  if (input === null) return null;
  const audience = collapse(String(input.audience ?? ''));
  if (!audience || audience.length > 200)
    throw new ValidationError('identityProvider.audience: the client id, 1 to 200 characters', 'invalid-identity-provider');
  const claims = { ...DEFAULT_IDENTITY_CLAIMS, ...input.claims };
  for (const [name, claim] of Object.entries(claims)) {
    if (!CLAIM.test(String(claim))) throw new ValidationError(`identityProvider.claims.${name}: a claim name`, 'invalid-identity-provider');
  }
  return {
    issuer: providerUrl(input.issuer, 'identityProvider.issuer'),
    audience,
    jwksUrl: input.jwksUrl == null ? null : providerUrl(input.jwksUrl, 'identityProvider.jwksUrl'),
    claims: { city: claims.city, role: claims.role, agency: claims.agency },
  };
};

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

const decide = (command: CityCommand, state: City): CityEvent[] => {
  const metadata = auditOf(command.metadata);
  if (command.metadata.role !== 'operator') throw new ForbiddenError('Only the platform operator manages cities', 'operator-only');
  const at = command.metadata.now.toISOString();
  switch (command.type) {
    case 'CreateCity': {
      const d = command.data;
      if (!isCityId(d.cityId ?? '') || d.cityId === PLATFORM_CITY) {
        throw new ValidationError(`cityId: 1 to 63 of a-z, 0-9 and "-", not starting with "-", and not "${PLATFORM_CITY}"`, 'invalid-city-id');
      }
      if (state.status !== 'none') throw new IllegalStateError(`The city "${d.cityId}" exists already`, 'city-exists');
      const settings = checked({
        name: d.name ?? '',
        level: d.level ?? ('' as CityLevel), // required: checked below
        timeZone: d.timeZone ?? DEFAULT_TIME_ZONE,
        dueSoonDays: d.dueSoonDays ?? DEFAULT_DUE_SOON_DAYS,
        reporting: d.reporting ?? {},
        identityProvider: d.identityProvider ?? null,
      }) as CitySettings;
      return [{ type: 'CityCreated', data: { cityId: d.cityId, settings, reason: reasonOf(d.reason), createdAt: at }, metadata }];
    }
    case 'ChangeCitySettings': {
      if (state.status === 'none') throw new NotFoundError(`No city "${command.data.cityId}"`, 'city-not-found');
      if (state.status === 'merged') throw mergedAlready(state);
      const reason = reasonOf(command.data.reason);
      const wanted = checked(command.data.changes ?? {});
      const changes = Object.fromEntries(
        Object.entries(wanted).filter(([key, value]) => !same(value, state.settings[key as keyof CitySettings])),
      ) as Partial<CitySettings>;
      if (Object.keys(changes).length === 0) return [];
      return [
        {
          type: 'CitySettingsChanged',
          data: { cityId: state.cityId, changes, settings: { ...state.settings, ...changes }, status: state.status, reason, changedAt: at },
          metadata,
        },
      ];
    }
    case 'SuspendCity': {
      if (state.status === 'none') throw new NotFoundError(`No city "${command.data.cityId}"`, 'city-not-found');
      if (state.status === 'merged') throw mergedAlready(state);
      if (state.status === 'suspended') throw new IllegalStateError(`The city "${state.cityId}" is suspended already`, 'city-suspended');
      return [
        { type: 'CitySuspended', data: { cityId: state.cityId, settings: state.settings, reason: reasonOf(command.data.reason), suspendedAt: at }, metadata },
      ];
    }
    case 'ResumeCity': {
      if (state.status === 'none') throw new NotFoundError(`No city "${command.data.cityId}"`, 'city-not-found');
      if (state.status === 'merged') throw mergedAlready(state);
      if (state.status === 'active') throw new IllegalStateError(`The city "${state.cityId}" is not suspended`, 'city-not-suspended');
      return [
        { type: 'CityResumed', data: { cityId: state.cityId, settings: state.settings, reason: reasonOf(command.data.reason), resumedAt: at }, metadata },
      ];
    }
    case 'MergeCity': {
      if (state.status === 'none') throw new NotFoundError(`No city "${command.data.cityId}"`, 'city-not-found');
      if (state.status === 'merged') throw mergedAlready(state);
      const into = command.data.into;
      if (!isCityId(into ?? '') || into === PLATFORM_CITY || into === state.cityId)
        throw new ValidationError('into: another city the deployment serves', 'invalid-successor');
      return [
        { type: 'CityMerged', data: { cityId: state.cityId, into, settings: state.settings, reason: reasonOf(command.data.reason), mergedAt: at }, metadata },
      ];
    }
  }
};

const mergedAlready = (state: { cityId: string; mergedInto: string }) =>
  new IllegalStateError(`The city "${state.cityId}" merged into "${state.mergedInto}"`, 'city-merged');

const evolve = (state: City, event: CityEvent): City => {
  switch (event.type) {
    case 'CityCreated':
      return { status: 'active', cityId: event.data.cityId, settings: event.data.settings };
    case 'CitySettingsChanged':
      return state.status === 'none' || state.status === 'merged' ? state : { ...state, settings: event.data.settings };
    case 'CitySuspended':
      return state.status === 'none' ? state : { status: 'suspended', cityId: state.cityId, settings: event.data.settings };
    case 'CityResumed':
      return state.status === 'none' ? state : { status: 'active', cityId: state.cityId, settings: event.data.settings };
    case 'CityMerged':
      return state.status === 'none' ? state : { status: 'merged', cityId: state.cityId, settings: event.data.settings, mergedInto: event.data.into };
  }
};

export const cityDecider: Decider<City, CityCommand, CityEvent> = { decide, evolve, initialState: () => ({ status: 'none' }) };
