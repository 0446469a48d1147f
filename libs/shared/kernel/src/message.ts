/** A message is a readonly `{ type, data, metadata }`; the type string names it in the domain. */
export type Message<Type extends string, Data, Metadata> = Readonly<{
  type: Type;
  data: Readonly<Data>;
  metadata: Readonly<Metadata>;
}>;

export type CityId = string;
export type AgencyId = string;

/**
 * What an agency of a city's directory is: a department (sở, ban, ngành), a people's committee
 * (UBND of the city or of a commune, ward or special zone) or its office, a former district, a
 * ministry or central body the city works with, an institute or public service unit, a unit under
 * another agency, or other. One vocabulary for the directory and the importer that resolves names.
 */
export const AGENCY_KINDS = ['department', 'committee', 'commune', 'district', 'ministry', 'institute', 'unit', 'other'] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];
export type UserId = string;
export type PlanId = string;
export type TaskId = string;

/**
 * `unit`: the office of a unit of the province (UBND of a commune, ward or special zone, since 1 July
 * 2025): its agencyId is the unit. It keeps its unit's own plans as the city office keeps the
 * province's, and acts on the province's tasks as the agency its unit is.
 */
export const ROLES = ['office', 'planning', 'agency', 'leader', 'auditor', 'integrator', 'operator', 'unit'] as const;
export type Role = (typeof ROLES)[number];

/**
 * The platform operator runs the deployment for every city and sees counts only. Its tokens carry
 * this pseudo-city, which holds no data: every city-scoped read finds nothing, every command is refused.
 */
export const PLATFORM_CITY = 'platform';

/**
 * What a city id is, wherever one is checked (tokens, topics, the operator's new city): 1 to 63 of
 * [a-z0-9-], not starting with "-" ("ha-noi"); a Kafka topic and a group prefix are named after it.
 */
export const isCityId = (text: string): boolean => /^[a-z0-9][a-z0-9-]{0,62}$/.test(text);

/** Who did it, for which city: copied from command metadata into every event. */
export type Audit = {
  readonly actorId: UserId;
  readonly role: Role;
  readonly agencyId: AgencyId | null;
  readonly cityId: CityId;
};

/** Command metadata: the audit part plus the time, which deciders never read from a clock. */
export type CommandMetadata = Audit & { readonly now: Date };

export type Event<Type extends string, Data> = Message<Type, Data, Audit>;
export type Command<Type extends string, Data> = Message<Type, Data, CommandMetadata>;

export type AnyEvent = Event<string, unknown>;
export type AnyCommand = Command<string, unknown>;

/** A decider is three plain functions; no classes, no I/O. */
export type Decider<State, Cmd extends AnyCommand, Evt extends AnyEvent> = {
  decide: (command: Cmd, state: State) => Evt[];
  evolve: (state: State, event: Evt) => State;
  initialState: () => State;
};

export const fold = <State, Evt extends AnyEvent>(decider: Pick<Decider<State, AnyCommand, Evt>, 'evolve' | 'initialState'>, events: readonly Evt[]): State =>
  events.reduce(decider.evolve, decider.initialState());

export const auditOf = (metadata: CommandMetadata): Audit => ({
  actorId: metadata.actorId,
  role: metadata.role,
  agencyId: metadata.agencyId,
  cityId: metadata.cityId,
});
