import { memo, useDeferredValue, useEffect, useId, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, messageOf } from '../api';
import { MiniStackedBar, timelinessValues, useTimelinessSegments, type Segment, type TaskCounts } from '../components/charts';
import { SelectField } from '../components/fields';
import { RequestState } from '../components/messages';
import { usePlans, type PlanSummary } from '../components/plan-select';
import { Table } from '../components/table';
import { fill, useCommon, useFormat, useWords } from '../i18n';
import { fold } from '../text';

/** GET /api/v1/plans: the city's plans and directives (fields may be missing). */
type PlanItem = PlanSummary & { issuedOn?: string | null; issuer?: string; taskCount?: number };
/** GET /api/v1/plans/:planId/counts: per lead agency, and the plan's total. */
type PlanCounts = { by?: string; at?: string; rows?: unknown[]; total?: Partial<TaskCounts> };
type CountsState = Record<string, Partial<TaskCounts> | { failed: string }>;

const WORDS = {
  vi: {
    title: 'Kế hoạch, chỉ thị',
    intro: 'Các kế hoạch, chỉ thị của thành phố và tình hình thực hiện nhiệm vụ.',
    search: 'Tìm theo số, ký hiệu hoặc trích yếu',
    kind: 'Loại văn bản',
    allKinds: 'Tất cả',
    plan: 'Kế hoạch',
    directive: 'Chỉ thị',
    number: 'Số, ký hiệu',
    kindCol: 'Loại',
    summary: 'Trích yếu',
    issuedOn: 'Ngày ban hành',
    tasks: 'Số nhiệm vụ',
    counts: 'Tình hình thực hiện',
    countsOf: 'Tình hình thực hiện {n}',
    countsFailed: 'Không tải được',
    countsLoading: 'Đang tải…',
    shown: 'Hiển thị {shown}/{n} văn bản',
    none: 'Chưa có kế hoạch, chỉ thị nào.',
    noMatch: 'Không có văn bản phù hợp.',
    legend: 'Chú giải',
  },
  en: {
    title: 'Plans and directives',
    intro: "The city's plans and directives and how their tasks stand.",
    search: 'Search by number or title',
    kind: 'Kind',
    allKinds: 'All',
    plan: 'Plan',
    directive: 'Directive',
    number: 'Number',
    kindCol: 'Kind',
    summary: 'Title',
    issuedOn: 'Issued on',
    tasks: 'Tasks',
    counts: 'Standing',
    countsOf: 'Standing of {n}',
    countsFailed: 'Could not load',
    countsLoading: 'Loading…',
    shown: 'Showing {shown} of {n} documents',
    none: 'No plans or directives yet.',
    noMatch: 'No document matches.',
    legend: 'Legend',
  },
};
type Words = (typeof WORDS)['vi'];

const CONCURRENCY = 4;

/** Each plan's counts, a few requests at a time; a refusal marks that plan only. */
const usePlanCounts = (ids: readonly string[]) => {
  const [counts, setCounts] = useState<CountsState>({});
  const key = ids.join('|');
  useEffect(() => {
    if (ids.length === 0) return;
    let live = true;
    let next = 0;
    const worker = async () => {
      while (live && next < ids.length) {
        const id = ids[next++];
        try {
          const answer = await api<PlanCounts>(`/api/v1/plans/${encodeURIComponent(id)}/counts`);
          if (live) setCounts((c) => ({ ...c, [id]: answer.total ?? {} }));
        } catch (failure) {
          if (live) setCounts((c) => ({ ...c, [id]: { failed: messageOf(failure) } }));
        }
      }
    };
    void Promise.all(Array.from({ length: Math.min(CONCURRENCY, ids.length) }, worker));
    return () => {
      live = false;
    };
    // `key` names the ids.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return counts;
};

const PlanRow = memo(
  ({ plan, counts, segments, words }: { plan: PlanItem; counts: CountsState[string] | undefined; segments: readonly Segment[]; words: Words }) => {
    const format = useFormat();
    const common = useCommon();
    const number = plan.number || common.noNumber;
    return (
      <tr>
        <th scope="row">
          <Link to={`/plans/${encodeURIComponent(plan.id)}`}>{number}</Link>
        </th>
        <td>
          <span className={`badge plans-kind plans-kind-${plan.kind === 'directive' ? 'directive' : 'plan'}`}>
            {plan.kind === 'directive' ? words.directive : words.plan}
          </span>
        </td>
        <td className="plans-summary">
          {plan.title ?? ''}
          {plan.issuer && <div className="muted plans-issuer">{plan.issuer}</div>}
        </td>
        <td className="plans-nowrap">{format.date(plan.issuedOn)}</td>
        <td className="plans-number">{typeof plan.taskCount === 'number' ? format.number(plan.taskCount) : ''}</td>
        <td className="plans-counts">
          {counts === undefined ? (
            <span className="muted">{words.countsLoading}</span>
          ) : 'failed' in counts ? (
            <span className="muted" title={counts.failed}>
              {words.countsFailed}
            </span>
          ) : (
            <MiniStackedBar label={fill(words.countsOf, { n: number })} values={timelinessValues(counts)} segments={segments} />
          )}
        </td>
      </tr>
    );
  },
);
PlanRow.displayName = 'PlanRow';

const Plans = () => {
  const words = useWords(WORDS);
  const format = useFormat();
  const segments = useTimelinessSegments();
  const searchId = useId();
  const kindId = useId();
  const { plans: listed, error, loading, loaded } = usePlans<PlanItem>();
  const [search, setSearch] = useState('');
  const [kind, setKind] = useState('');
  const deferred = useDeferredValue(search);

  const plans = useMemo(() => listed.filter((p): p is PlanItem => !!p && typeof p.id === 'string'), [listed]);
  const ids = useMemo(() => plans.map((p) => p.id), [plans]);
  const counts = usePlanCounts(ids);
  const indexed = useMemo(() => plans.map((p) => ({ plan: p, text: fold(`${p.number ?? ''} ${p.title ?? ''} ${p.issuer ?? ''}`) })), [plans]);
  const shown = useMemo(() => {
    const needle = fold(deferred.trim());
    return indexed
      .filter(({ plan, text }) => (!kind || (plan.kind === 'directive' ? 'directive' : 'plan') === kind) && (!needle || text.includes(needle)))
      .map(({ plan }) => plan);
  }, [indexed, deferred, kind]);

  return (
    <div className="plans-page">
      <h1>{words.title}</h1>
      <p className="muted">{words.intro}</p>
      <RequestState error={error} loading={loading} loaded={loaded} />
      {loaded && (
        <section className="card">
          <form className="row plans-filters" role="search" onSubmit={(e) => e.preventDefault()}>
            <label htmlFor={searchId}>
              {words.search}
              <input id={searchId} type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
            </label>
            <SelectField
              id={kindId}
              label={words.kind}
              value={kind}
              onChange={setKind}
              all={words.allKinds}
              options={[
                ['plan', words.plan],
                ['directive', words.directive],
              ]}
            />
          </form>
          <ul className="chart-legend plans-legend" aria-label={words.legend}>
            {segments.map((s) => (
              <li key={s.key}>
                <span className="chart-swatch" style={{ background: s.color }} aria-hidden="true" />
                {s.label}
              </li>
            ))}
          </ul>
          <p className="muted" aria-live="polite">
            {fill(words.shown, { shown: format.number(shown.length), n: format.number(plans.length) })}
          </p>
          {plans.length === 0 ? (
            <p className="muted">{words.none}</p>
          ) : shown.length === 0 ? (
            <p className="muted">{words.noMatch}</p>
          ) : (
            <Table head={[words.number, words.kindCol, words.summary, words.issuedOn, words.tasks, words.counts]} caption={words.title} className="plans-table">
              <tbody>
                {shown.map((plan) => (
                  <PlanRow key={plan.id} plan={plan} counts={counts[plan.id]} segments={segments} words={words} />
                ))}
              </tbody>
            </Table>
          )}
        </section>
      )}
    </div>
  );
};

export default Plans;
