import { collapse, foldVietnamese, readTarget } from '@mandate/kernel';

const foldForMatch = (text: string) => foldVietnamese(collapse(text));
import type { IndicatorActual } from './agency-report/agency-report';
import type { ReportedIndicator } from './plan-feed';

export type Achievement = 'exceeded' | 'met' | 'not_met';
export const ACHIEVEMENT_LABELS: Readonly<Record<Achievement, string>> = { exceeded: 'Vượt', met: 'Đạt', not_met: 'Không đạt' };
export type Trend = 'up' | 'down' | 'flat';
export const TREND_LABELS: Readonly<Record<Trend, string>> = { up: 'Tăng', down: 'Giảm', flat: 'Không đổi' };

type Target = ReportedIndicator['targets'][number];

/** The target that applies in `year`: the nearest horizon not yet past, else one without a horizon, else the last. */
export const targetFor = (indicator: Pick<ReportedIndicator, 'targets'>, year: number): Target | null => {
  const ahead = indicator.targets.filter((t) => t.horizon !== null && t.horizon >= year).sort((a, b) => a.horizon! - b.horizon!);
  return ahead[0] ?? indicator.targets.find((t) => t.horizon === null) ?? indicator.targets.at(-1) ?? null;
};

/** An actual as agencies write it ("65%", "7,2", "khoảng 1.200"): its number, when it has one. */
export const actualValue = (actual: string): number | null => readTarget(actual).value ?? null;

/**
 * Whether an actual reaches its target: within a range it is met and above it exceeded; a floor
 * ("trên 60%") is met at or above it, a ceiling ("dưới 3%") at or below it; a single number is met
 * when reached and exceeded above it (more is better unless the target says otherwise). Text-only
 * targets and actuals without a number are not judged.
 */
export const assess = (target: Target | null, actual: number | null): Achievement | null => {
  if (!target || actual === null) return null;
  const { value, min, max } = target;
  if (min !== undefined && max !== undefined) return actual > max ? 'exceeded' : actual >= min ? 'met' : 'not_met';
  if (min !== undefined) return actual >= min ? 'met' : 'not_met';
  if (max !== undefined) return actual <= max ? 'met' : 'not_met';
  if (value !== undefined) return actual > value ? 'exceeded' : actual === value ? 'met' : 'not_met';
  return null;
};

/** Does a report's line name this indicator (by its number or its name)? */
export const namesIndicator = (line: Pick<IndicatorActual, 'indicator'>, indicator: Pick<ReportedIndicator, 'ref' | 'name'>): boolean => {
  const said = foldForMatch(line.indicator);
  return said === foldForMatch(indicator.ref) || said === foldForMatch(indicator.name);
};

export type IndicatorRow = {
  ref: string;
  group: string | null;
  name: string;
  unit: string | null;
  lead: ReportedIndicator['lead'];
  target: Target | null;
  actual: string | null;
  value: number | null;
  reportedBy: string | null;
  achievement: Achievement | null;
  trend: Trend | null;
  /** Earlier periods' actuals, oldest first */
  history: { period: string; actual: string; value: number | null }[];
};

export type PeriodActuals = { period: string; lines: readonly (Pick<IndicatorActual, 'indicator' | 'actual'> & { agencyId: string; agencyName: string })[] };

/** The line that counts for an indicator in a period: its lead agency's, else the first that names it. */
const lineFor = (indicator: ReportedIndicator, lines: PeriodActuals['lines']) => {
  const naming = lines.filter((line) => namesIndicator(line, indicator) && line.actual.trim());
  return naming.find((line) => indicator.lead?.agencyId && line.agencyId === indicator.lead.agencyId) ?? naming[0] ?? null;
};

/** The indicator table of a period's report: target, actual, achievement (đạt, không đạt, vượt) and trend. */
export const indicatorTable = (
  indicators: readonly ReportedIndicator[],
  year: number,
  current: PeriodActuals['lines'],
  earlier: readonly PeriodActuals[],
): IndicatorRow[] =>
  indicators.map((indicator) => {
    const line = lineFor(indicator, current);
    const value = line ? actualValue(line.actual) : null;
    const target = targetFor(indicator, year);
    const history = earlier.flatMap(({ period, lines }) => {
      const past = lineFor(indicator, lines);
      return past ? [{ period, actual: past.actual, value: actualValue(past.actual) }] : [];
    });
    const previous = [...history].reverse().find((h) => h.value !== null)?.value ?? null;
    const trend: Trend | null = value === null || previous === null ? null : value > previous ? 'up' : value < previous ? 'down' : 'flat';
    return {
      ref: indicator.ref,
      group: indicator.group,
      name: indicator.name,
      unit: indicator.unit,
      lead: indicator.lead,
      target,
      actual: line?.actual ?? null,
      value,
      reportedBy: line?.agencyName ?? null,
      achievement: assess(target, value),
      trend,
      history,
    };
  });
