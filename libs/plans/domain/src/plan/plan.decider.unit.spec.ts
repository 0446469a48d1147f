import { ForbiddenError, IllegalStateError, ValidationError } from '@mandate/kernel';
import { DeciderSpecification } from '@mandate/testing';
import { byOffice, issuePlan, officerOf, justice, planIssued } from '../testing/builders';
import { planDecider } from './plan.decider';

const given = DeciderSpecification.for(planDecider);

describe('Plan', () => {
  describe('When not yet issued', () => {
    it('is issued by the city office with the refs of its tasks', () => given([]).when(issuePlan()).then([planIssued()]));

    it('is refused to an agency officer', () =>
      given([]).when(issuePlan({}, officerOf(justice))).thenThrows(ForbiddenError, 'issue-forbidden'));

    it('needs an ISO issue date', () =>
      given([]).when(issuePlan({ issuedOn: '10/8/2021' })).thenThrows(ValidationError, 'plan-issued-on-invalid'));
  });

  describe('When issued', () => {
    it('ignores the same document issued again', () => given([planIssued()]).when(issuePlan()).thenNothingHappened());

    it('refuses another number on the same id', () =>
      given([planIssued()]).when(issuePlan({ number: '184/KH-UBND' }, byOffice)).thenThrows(IllegalStateError));
  });
});
