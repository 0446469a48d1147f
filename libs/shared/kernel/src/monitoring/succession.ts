/**
 * Whose a task counts as "as the agencies were" after mergers: a hand-over (an assignment carrying
 * a succession) that changes the lead remembers the first predecessor, and a second merger keeps
 * it; any other assignment (the office's or the document's own choice) ends the old split. The
 * plans service's counts and reporting's dashboard both follow this rule.
 */
export const formerLeadAfter = <Agency extends { agencyId: string | null }>(
  lead: Agency | null,
  formerLead: Agency | null,
  newLead: Agency,
  succession: unknown,
): Agency | null => {
  if (succession === null || succession === undefined) return null;
  return lead !== null && lead.agencyId !== newLead.agencyId ? (formerLead ?? lead) : formerLead;
};
