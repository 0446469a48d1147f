import type { AgencyId, CityId, Role, UserId } from '@mandate/kernel';

/** Who is asking, from the verified token; every command and query is scoped to its city. */
export type Actor = {
  readonly userId: UserId;
  readonly role: Role;
  readonly agencyId: AgencyId | null;
  readonly cityId: CityId;
};
