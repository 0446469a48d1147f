import { useEffect, useMemo } from 'react';
import { useCommon } from '../i18n';
import { clip } from '../text';
import { useApi } from '../use-api';
import { SelectField } from './fields';

/** A plan or directive as GET /api/v1/plans lists it (fields may be missing). */
export type PlanSummary = { id: string; number?: string | null; kind?: string; title?: string };

/** The city's plans and directives (GET /api/v1/plans), for a picker or a list. */
export const usePlans = <T extends PlanSummary = PlanSummary>() => {
  const { data, error, loading } = useApi<{ items?: T[] }>('/api/v1/plans');
  const plans = useMemo(() => data?.items ?? [], [data]);
  return { plans, error, loading, loaded: data !== null };
};

/** Chooses the first plan while none is chosen (a picker without an "all plans" option). */
export const useFirstPlan = (plans: readonly PlanSummary[], planId: string, choose: (planId: string) => void) => {
  useEffect(() => {
    if (!planId && plans.length > 0) choose(plans[0].id);
  }, [planId, plans, choose]);
};

/** A plan's number and the start of its title (the first `max` characters). */
export const planText = (plan: PlanSummary, max = 80): string => `${plan.number ?? plan.id}${plan.title ? ` — ${clip(plan.title, max)}` : ''}`;

type Props = {
  id: string;
  /** The label's text (the select's accessible name). */
  label: string;
  plans: readonly PlanSummary[];
  value: string;
  onChange: (planId: string) => void;
  /** The text of an empty first option meaning every plan; none when absent. */
  all?: string;
  /** What an option says: by default the number and the start of the title. */
  text?: (plan: PlanSummary) => string;
};

/** A labelled select of plans and directives. */
export const PlanSelect = ({ plans, text = planText, ...field }: Props) => {
  // A plan tracked before signing reads "Chưa có số", not its id.
  const { noNumber } = useCommon();
  return <SelectField {...field} options={plans.map((p) => [p.id, text({ ...p, number: p.number || noNumber })] as const)} />;
};
