import { formerLeadAfter } from './succession';

describe('The old split after agencies merged (formerLeadAfter)', () => {
  const planning = { agencyId: 'so-ke-hoach-dau-tu' };
  const finance = { agencyId: 'so-tai-chinh' };
  const home = { agencyId: 'so-noi-vu' };
  const merger = { predecessorIds: ['so-ke-hoach-dau-tu'], effectiveOn: '2025-03-01' };

  it('remembers the lead a hand-over takes the task from', () => expect(formerLeadAfter(planning, null, finance, merger)).toBe(planning));
  it('keeps the first predecessor through a second merger', () => expect(formerLeadAfter(finance, planning, home, merger)).toBe(planning));
  it('keeps it when a hand-over leaves the lead (only a coordinator merged)', () => expect(formerLeadAfter(finance, planning, finance, merger)).toBe(planning));
  it("ends it at the office's own reassignment", () => expect(formerLeadAfter(finance, planning, home, null)).toBeNull());
  it('has none at the first assignment', () => expect(formerLeadAfter(null, null, finance, merger)).toBeNull());
});
