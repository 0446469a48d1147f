import type { AgencyId, AgencyKind, CityId } from '@mandate/kernel';

export type { AgencyKind } from '@mandate/kernel';

/** An agency of a city's directory (a Sở, a district UBND, a ministry the city works with). */
export type Agency = {
  readonly id: AgencyId;
  readonly cityId: CityId;
  readonly name: string;
  readonly kind: AgencyKind;
  /** Other spellings seen in documents: "Sở KH&ĐT", "KHĐT", "Kế hoạch và Đầu tư". */
  readonly aliases: readonly string[];
};

/**
 * An agency as a task names it. `agencyId` is null when the name could not be resolved against the
 * city's directory (kept and flagged, never dropped) or when it is a catch-all group
 * ("các sở, ban, ngành liên quan").
 */
export type AgencyRef = {
  readonly agencyId: AgencyId | null;
  /** The directory name when resolved, otherwise the text as written. */
  readonly name: string;
  /** The text as the source wrote it. */
  readonly text: string;
  readonly resolution: 'resolved' | 'group' | 'unresolved';
};
