import { ForbiddenError, IllegalStateError, NotFoundError, ValidationError, type CommandMetadata } from '@mandate/kernel';
import { asStored, DeciderSpecification } from '@mandate/testing';
import { byOffice, issuePlan, officerOf, justice, PLAN_ID, planIssued, TASK_ID } from '../testing/builders';
import type { IndicatorDraft } from './plan-draft';
import type { PlanImportReviewed, PlanIndicatorsSet } from './plan.events';
import { planDecider } from './plan.decider';

const given = DeciderSpecification.for(planDecider);

describe('Plan', () => {
  describe('When not yet issued', () => {
    it('is issued by the city office with the refs of its tasks', () => given([]).when(issuePlan()).then([planIssued()]));

    it('is refused to an agency officer', () =>
      given([])
        .when(issuePlan({}, officerOf(justice)))
        .thenThrows(ForbiddenError, 'issue-forbidden'));

    it('needs an ISO issue date', () =>
      given([])
        .when(issuePlan({ issuedOn: '10/8/2021' }))
        .thenThrows(ValidationError, 'plan-issued-on-invalid'));
  });

  describe('When issued', () => {
    it('ignores the same document issued again', () => given([planIssued()]).when(issuePlan()).thenNothingHappened());

    it('refuses another number on the same id', () =>
      given([planIssued()])
        .when(issuePlan({ number: '184/KH-UBND' }, byOffice))
        .thenThrows(IllegalStateError));
  });

  describe('Without a number or date (a copy before signing, tracked as it is)', () => {
    const blank = { number: null, issuedOn: null };
    const amendWith = (overrides: { number: string | null; issuedOn: string | null }) => {
      const { data } = issuePlan(overrides);
      return {
        type: 'AmendPlan' as const,
        data: { planId: PLAN_ID, draft: data.draft, tasks: [{ taskId: TASK_ID, ref: 'PL2.I.1' }], revised: [] },
        metadata: byOffice,
      };
    };
    const numbered = (number: string | null, issuedOn: string | null) => ({
      type: 'PlanNumbered' as const,
      data: { planId: PLAN_ID, number, issuedOn, numberedAt: byOffice.now.toISOString() },
      metadata: { actorId: byOffice.actorId, role: byOffice.role, agencyId: byOffice.agencyId, cityId: byOffice.cityId },
    });

    it('is issued with number and date null', () =>
      given([])
        .when(issuePlan(blank))
        .then([planIssued(byOffice, blank)]));

    it('ignores the same document imported again', () =>
      given([planIssued(byOffice, blank)])
        .when(issuePlan(blank))
        .thenNothingHappened());

    it('refuses a blank number (null, not "")', () =>
      given([])
        .when(issuePlan({ number: '  ' }))
        .thenThrows(ValidationError, 'plan-number-missing'));

    it('records the number and date of the signed version imported as its amendment', () =>
      given([planIssued(byOffice, blank)])
        .when(amendWith({ number: '183/KH-UBND', issuedOn: '2021-08-10' }))
        .then([numbered('183/KH-UBND', '2021-08-10')]));

    it('records a number that arrives before the date', () =>
      given([planIssued(byOffice, blank)])
        .when(amendWith({ number: '183/KH-UBND', issuedOn: null }))
        .then([numbered('183/KH-UBND', null)]));

    it('keeps its number once given: another unsigned copy changes nothing, another number is refused', () => {
      const numberedPlan = [planIssued(byOffice, blank), numbered('183/KH-UBND', '2021-08-10')];
      given(numberedPlan).when(amendWith(blank)).thenNothingHappened();
      given(numberedPlan)
        .when(amendWith({ number: '183/KH-UBND', issuedOn: '2021-08-10' }))
        .thenNothingHappened();
      given(numberedPlan)
        .when(amendWith({ number: '184/KH-UBND', issuedOn: '2021-08-10' }))
        .thenThrows(ValidationError, 'plan-number-mismatch');
    });
  });

  describe('Its indicators (chỉ tiêu)', () => {
    const grdp: IndicatorDraft = {
      ref: 'PL1.1',
      group: null,
      name: 'Tốc độ tăng tổng sản phẩm trên địa bàn (GRDP) bình quân giai đoạn 2021-2025',
      unit: '%',
      targets: [{ horizon: 2025, text: '7,5-8,0', min: 7.5, max: 8 }],
      lead: { agencyId: 'so-ke-hoach-dau-tu', name: 'Sở Kế hoạch và Đầu tư' },
    };
    const set = (indicators: IndicatorDraft[]): PlanIndicatorsSet => ({
      type: 'PlanIndicatorsSet',
      data: { planId: PLAN_ID, indicators, setAt: byOffice.now.toISOString() },
      metadata: { actorId: byOffice.actorId, role: byOffice.role, agencyId: byOffice.agencyId, cityId: byOffice.cityId },
    });
    const amend = (indicators: IndicatorDraft[] | undefined) => {
      const { data } = issuePlan();
      return {
        type: 'AmendPlan' as const,
        data: { planId: PLAN_ID, draft: { ...data.draft, indicators }, tasks: [{ taskId: TASK_ID, ref: 'PL2.I.1' }], revised: [] },
        metadata: byOffice,
      };
    };

    it('are set when the plan is issued with them', () => {
      const withIndicators = issuePlan();
      given([])
        .when({ ...withIndicators, data: { ...withIndicators.data, draft: { ...withIndicators.data.draft, indicators: [grdp] } } })
        .then([planIssued(), set([grdp])]);
    });
    it('are set again only when an amendment changes them', () => {
      given([planIssued(), set([grdp])])
        .when(amend([grdp]))
        .thenNothingHappened();
      const revised = { ...grdp, targets: [{ horizon: 2025, text: '7,0-7,5', min: 7, max: 7.5 }] };
      given([planIssued(), set([grdp])])
        .when(amend([revised]))
        .then([set([revised])]);
      given([planIssued(), set([grdp])])
        .when(amend(undefined))
        .then([set([])]);
    });
    it('are not set again when the same document is imported again, the stored ones read back in jsonb’s key order', () => {
      const unreadable: IndicatorDraft = { ...grdp, ref: 'PL1.13.3', unit: null, targets: [] };
      const unread = { ...grdp, ref: 'PL1.2', targets: [{ horizon: 2030, text: 'khoảng 8', value: undefined }] };
      given([planIssued(), set([grdp, unreadable, unread])].map(asStored))
        .when(amend([grdp, unreadable, unread]))
        .thenNothingHappened();
    });
    it('are set on a plan issued before they were kept, when its document is imported again', () =>
      given([planIssued()])
        .when(amend([grdp]))
        .then([set([grdp])]));
  });
});

describe('An import the office reviewed (issue 18 item 5)', () => {
  const changes = [
    { path: 'document.number', from: null, to: '183/KH-UBND' },
    { path: 'tasks.PL2.I.1.lead', from: { agencyId: null, name: 'Sở Tư pháp' }, to: { agencyId: 'so-tu-phap', name: 'Sở Tư pháp' } },
    { path: 'tasks.PL2.I.9', from: { title: 'Ghi chú' }, to: null },
  ];
  const recordReview = (metadata = byOffice, withChanges = changes) => ({
    type: 'RecordImportReview' as const,
    data: { planId: PLAN_ID, document: 'ke-hoach-183.pdf', changes: withChanges },
    metadata,
  });
  const reviewed = (): PlanImportReviewed => ({
    type: 'PlanImportReviewed',
    data: { planId: PLAN_ID, document: 'ke-hoach-183.pdf', reviewedBy: byOffice.actorId, changes, reviewedAt: byOffice.now.toISOString() },
    metadata: { actorId: byOffice.actorId, role: byOffice.role, agencyId: byOffice.agencyId, cityId: byOffice.cityId },
  });

  it('records what the office corrected, and who, on the plan the import issued', () => given([planIssued()]).when(recordReview()).then([reviewed()]));

  it('records nothing when the office corrected nothing', () => given([planIssued()]).when(recordReview(byOffice, [])).thenNothingHappened());

  it("is the office's only", () =>
    given([planIssued()])
      .when(recordReview(officerOf(justice)))
      .thenThrows(ForbiddenError, 'review-forbidden'));

  it('needs the plan issued first', () => given([]).when(recordReview()).thenThrows(IllegalStateError, 'plan-not-issued'));

  it('leaves the plan as it was: the same document again changes nothing', () => given([planIssued(), reviewed()]).when(issuePlan()).thenNothingHappened());

  describe('Moving with its city, merged into another', () => {
    const inHaNoi: CommandMetadata = { ...byOffice, role: 'operator', actorId: 'op-1' };
    const move = (metadata = inHaNoi) => ({
      type: 'MovePlanToCity' as const,
      data: { planId: PLAN_ID, fromCityId: 'ha-tay', reason: 'Hợp nhất tỉnh Hà Tây vào Hà Nội' },
      metadata,
    });

    it('carries the plan as it stands, and an amendment in the successor compares against it', () => {
      const state = planDecider.evolve(planDecider.initialState(), planIssued());
      const [moved] = planDecider.decide(move(), state);
      expect(moved).toMatchObject({ type: 'PlanMovedToCity', data: { planId: PLAN_ID, fromCityId: 'ha-tay', toCityId: 'ha-noi', plan: state } });
      expect(planDecider.evolve(planDecider.initialState(), moved)).toEqual(state);
      // The same document again changes nothing, as before the move.
      given([moved]).when(issuePlan()).thenNothingHappened();
    });

    it("is the platform operator's, of a plan that exists", () => {
      given([planIssued()]).when(move(byOffice)).thenThrows(ForbiddenError, 'operator-only');
      given([]).when(move()).thenThrows(NotFoundError, 'plan-not-found');
    });
  });
});
