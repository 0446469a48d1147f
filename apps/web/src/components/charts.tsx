import type { TaskCounts } from '@mandate/kernel';
import { memo, useEffect, useId, useMemo, useState, type ReactNode } from 'react';
import type * as Recharts from 'recharts';
import { useFormat, useWords } from '../i18n';
import { TableHead } from './table';
import { clip } from '../text';

/**
 * Small reusable charts on top of recharts. Every chart has an accessible name (its `title`) and a
 * text alternative: a visually hidden table with the same numbers, which a button shows on screen.
 * Colours follow the city office's reading of timeliness: red overdue, orange due soon, green on
 * time, blue completed, black no deadline.
 */

// ---------------------------------------------------------------------------------------------
// recharts, loaded on first use: a screen that only needs the colours or the mini bars (the plans
// list) does not load it, and a screen that draws charts can start loading it early.
// ---------------------------------------------------------------------------------------------

/** The parts of recharts these charts draw with (named, so the bundler keeps only them). */
type RechartsModule = Pick<
  typeof Recharts,
  'Bar' | 'BarChart' | 'CartesianGrid' | 'Cell' | 'Line' | 'LineChart' | 'Pie' | 'PieChart' | 'ResponsiveContainer' | 'Tooltip' | 'XAxis' | 'YAxis'
>;
let recharts: RechartsModule | null = null;
let pending: Promise<RechartsModule> | null = null;

/** Starts loading the chart library (call it when a screen with charts opens). */
export const preloadCharts = (): Promise<RechartsModule> =>
  (pending ??= import('recharts').then(
    ({ Bar, BarChart, CartesianGrid, Cell, Line, LineChart, Pie, PieChart, ResponsiveContainer, Tooltip, XAxis, YAxis }) =>
      (recharts = { Bar, BarChart, CartesianGrid, Cell, Line, LineChart, Pie, PieChart, ResponsiveContainer, Tooltip, XAxis, YAxis }),
    (failure: unknown) => {
      pending = null;
      throw failure;
    },
  ));

const useRecharts = (): RechartsModule | null => {
  const [module, setModule] = useState<RechartsModule | null>(recharts);
  useEffect(() => {
    if (module) return;
    let live = true;
    preloadCharts().then(
      (m) => live && setModule(m),
      () => undefined, // the table still carries the numbers
    );
    return () => {
      live = false;
    };
  }, [module]);
  return module;
};

// ---------------------------------------------------------------------------------------------
// Colours and counts
// ---------------------------------------------------------------------------------------------

/** Grey: what is not running (cancelled, not started) and any code no map names. */
export const OTHER_COLOR = '#6b7280';

/** The timeliness colours (the same as styles.css). */
export const TIMELINESS_COLORS = {
  overdue: '#b91c1c',
  due_soon: '#b45309',
  on_time: '#166534',
  completed: '#1d4ed8',
  completed_on_time: '#1d4ed8',
  completed_late: '#1e3a8a',
  no_deadline: '#111111',
  cancelled: OTHER_COLOR,
} as const;

/** One colour per task status, for status charts. */
export const STATUS_COLORS: Record<string, string> = {
  not_started: OTHER_COLOR,
  in_progress: '#0e7490',
  submitted: '#7c3aed',
  completed: '#1d4ed8',
  returned: '#be185d',
  paused: '#854d0e',
  cancelled: '#374151',
  declined: '#9f1239',
};

/** One colour per periodic report status (and the overdue flag), from the same palette. */
export const REPORT_STATUS_COLORS: Record<string, string> = {
  requested: OTHER_COLOR,
  draft: TIMELINESS_COLORS.completed,
  submitted: TIMELINESS_COLORS.due_soon,
  returned: TIMELINESS_COLORS.overdue,
  accepted: TIMELINESS_COLORS.on_time,
  overdue: '#7f1d1d',
};

/** The monitoring report's counts: the server's own type (a type only: nothing of the kernel reaches the bundle). */
export type { TaskCounts };

/** A coloured series of a chart: its key in the values, its label and colour. */
export type Segment = { key: string; label: string; color: string };

/** One bar (an agency, a leader, a plan): its values per segment key. */
export type BarRow = { key: string; name: string; values: Record<string, number> };

/** One point of a trend: its label on the axis and its values per line key. */
export type TrendPoint = { label: string; values: Record<string, number> };

/** One slice or bar of a counts chart. */
export type CountItem = { key: string; label: string; value: number; color: string };

/** A count as the API gave it, or 0 when it is missing or not a number. */
export const countOf = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
const n = countOf;

/**
 * A breakdown's counts (by status, by timeliness) as chart items: in the given order, then any code
 * the order does not know; labelled and coloured; zeros left out except the codes `always` shows.
 */
export const countItems = (
  counts: Record<string, number> | null | undefined,
  order: readonly string[],
  colors: Readonly<Record<string, string>>,
  labelOf: (code: string) => string,
  always: readonly string[] = [],
): CountItem[] => {
  const by = counts ?? {};
  const codes = [...order, ...Object.keys(by).filter((c) => !order.includes(c))];
  return codes.filter((c) => n(by[c]) > 0 || always.includes(c)).map((c) => ({ key: c, label: labelOf(c), value: n(by[c]), color: colors[c] ?? OTHER_COLOR }));
};

/** Counts (possibly partial, from the API) as the values of the timeliness segments. */
export const timelinessValues = (counts: Partial<TaskCounts> | null | undefined): Record<string, number> => ({
  overdue: n(counts?.openOverdue),
  on_time: n(counts?.openOnTime),
  completed: n(counts?.completedOnTime) + n(counts?.completedLate),
  cancelled: n(counts?.cancelled),
});

const SEGMENT_WORDS = {
  vi: { overdue: 'Chưa hoàn thành, quá hạn', on_time: 'Chưa hoàn thành, trong hạn', completed: 'Đã hoàn thành', cancelled: 'Dừng thực hiện' },
  en: { overdue: 'Open, overdue', on_time: 'Open, on time', completed: 'Completed', cancelled: 'Cancelled' },
};

/** The segments `timelinessValues` fills, labelled in the chosen language. */
export const useTimelinessSegments = (): Segment[] => {
  const words = useWords(SEGMENT_WORDS);
  return useMemo(
    () => [
      { key: 'overdue', label: words.overdue, color: TIMELINESS_COLORS.overdue },
      { key: 'on_time', label: words.on_time, color: TIMELINESS_COLORS.on_time },
      { key: 'completed', label: words.completed, color: TIMELINESS_COLORS.completed },
      { key: 'cancelled', label: words.cancelled, color: TIMELINESS_COLORS.cancelled },
    ],
    [words],
  );
};

// ---------------------------------------------------------------------------------------------
// Shared frame: name, legend, text alternative
// ---------------------------------------------------------------------------------------------

const WORDS = {
  vi: { show: 'Hiện bảng số liệu', hide: 'Ẩn bảng số liệu', total: 'Tổng', name: 'Tên', empty: 'Chưa có số liệu', legend: 'Chú giải' },
  en: { show: 'Show data table', hide: 'Hide data table', total: 'Total', name: 'Name', empty: 'No data yet', legend: 'Legend' },
};

/** Narrow screens (phones): shorter axis labels. */
const useNarrow = () => {
  const query = '(max-width: 640px)';
  const [narrow, setNarrow] = useState(() => typeof window !== 'undefined' && !!window.matchMedia?.(query).matches);
  useEffect(() => {
    const list = window.matchMedia?.(query);
    if (!list) return;
    const update = () => setNarrow(list.matches);
    list.addEventListener('change', update);
    return () => list.removeEventListener('change', update);
  }, []);
  return narrow;
};

type TableData = { head: string[]; rows: { key: string; cells: (string | number)[] }[] };

/** What every chart takes. */
type ChartProps = {
  /** The accessible name, shown above the chart unless `showTitle` is false. */
  title: string;
  /** Shows the title above the chart (default); a card with its own heading may hide it. */
  showTitle?: boolean;
  className?: string;
};

type FrameProps = ChartProps & {
  height: number;
  legend?: { key: string; label: string; color: string; value?: number }[];
  table: TableData;
  empty: boolean;
  /** The chart itself; none while the chart library loads (the box keeps its height). */
  children?: ReactNode;
};

const ChartFrame = ({ title, showTitle = true, height, legend, table, empty, className, children }: FrameProps) => {
  const words = useWords(WORDS);
  const format = useFormat();
  const [open, setOpen] = useState(false);
  const tableId = useId();
  const cell = (value: string | number) => (typeof value === 'number' ? format.number(value) : value);
  return (
    <figure className={`chart ${className ?? ''}`}>
      <figcaption className={showTitle ? 'chart-title' : 'sr-only'}>{title}</figcaption>
      {empty ? (
        <p className="muted">{words.empty}</p>
      ) : (
        <>
          <div className="chart-box" role="img" aria-label={title} style={{ height }}>
            {children}
          </div>
          {legend && legend.length > 0 && (
            <ul className="chart-legend" aria-label={`${words.legend}: ${title}`}>
              {legend.map((item) => (
                <li key={item.key}>
                  <span className="chart-swatch" style={{ background: item.color }} aria-hidden="true" />
                  {item.label}
                  {item.value !== undefined && <strong> {format.number(item.value)}</strong>}
                </li>
              ))}
            </ul>
          )}
          <button type="button" className="chart-toggle" aria-expanded={open} aria-controls={tableId} onClick={() => setOpen((v) => !v)}>
            {open ? words.hide : words.show}
          </button>
          <div id={tableId} className={open ? 'table-wrap chart-table' : 'sr-only'}>
            <table>
              <caption className="sr-only">{title}</caption>
              <TableHead columns={table.head} />
              <tbody>
                {table.rows.map((row) => (
                  <tr key={row.key}>
                    {row.cells.map((c, i) =>
                      i === 0 ? (
                        <th key={i} scope="row">
                          {cell(c)}
                        </th>
                      ) : (
                        <td key={i}>{cell(c)}</td>
                      ),
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </figure>
  );
};

// ---------------------------------------------------------------------------------------------
// Stacked bars (per agency, per leader, per plan)
// ---------------------------------------------------------------------------------------------

export type StackedBarChartProps = ChartProps & {
  rows: readonly BarRow[];
  segments: readonly Segment[];
  /** 'horizontal' (default): one bar per row, names on the left — reads well on phones. */
  orientation?: 'horizontal' | 'vertical';
  /** At most this many rows are drawn (the table holds them all). */
  maxRows?: number;
};

/** Bars per row, stacked by segment (timeliness by default colours). */
export const StackedBarChart = memo(({ title, showTitle, rows, segments, orientation = 'horizontal', maxRows = 30, className }: StackedBarChartProps) => {
  const words = useWords(WORDS);
  const format = useFormat();
  const narrow = useNarrow();
  const shown = useMemo(() => rows.slice(0, maxRows), [rows, maxRows]);
  const data = useMemo(() => shown.map((r) => ({ name: r.name, ...Object.fromEntries(segments.map((s) => [s.key, n(r.values[s.key])])) })), [shown, segments]);
  const totals = useMemo(() => Object.fromEntries(segments.map((s) => [s.key, rows.reduce((sum, r) => sum + n(r.values[s.key]), 0)])), [rows, segments]);
  const table = useMemo<TableData>(
    () => ({
      head: [words.name, ...segments.map((s) => s.label), words.total],
      rows: rows.map((r) => ({
        key: r.key,
        cells: [r.name, ...segments.map((s) => n(r.values[s.key])), segments.reduce((sum, s) => sum + n(r.values[s.key]), 0)],
      })),
    }),
    [rows, segments, words],
  );
  const horizontal = orientation === 'horizontal';
  const labelWidth = narrow ? 112 : 220;
  const maxChars = narrow ? 16 : 34;
  const height = horizontal ? Math.max(120, shown.length * 30 + 40) : narrow ? 240 : 300;
  const used = segments.filter((s) => totals[s.key] > 0);
  const R = useRecharts();
  const frame = { title, showTitle, className, height, table, empty: rows.length === 0, legend: used.map((s) => ({ ...s, value: totals[s.key] })) };
  if (!R) return <ChartFrame {...frame} />;
  const { ResponsiveContainer, BarChart, CartesianGrid, XAxis, YAxis, Tooltip, Bar } = R;
  return (
    <ChartFrame {...frame}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} layout={horizontal ? 'vertical' : 'horizontal'} margin={{ top: 4, right: 12, bottom: 4, left: 4 }} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" horizontal={!horizontal} vertical={horizontal} />
          {horizontal ? (
            <>
              <XAxis type="number" allowDecimals={false} tickFormatter={(v: number) => format.number(v)} />
              <YAxis
                type="category"
                dataKey="name"
                width={labelWidth}
                interval={0}
                tick={{ fontSize: narrow ? 11 : 12 }}
                tickFormatter={(v: string) => clip(String(v), maxChars)}
              />
            </>
          ) : (
            <>
              <XAxis type="category" dataKey="name" interval={0} tick={{ fontSize: 11 }} tickFormatter={(v: string) => clip(String(v), narrow ? 8 : 14)} />
              <YAxis type="number" allowDecimals={false} width={40} tickFormatter={(v: number) => format.number(v)} />
            </>
          )}
          <Tooltip formatter={(value, name) => [format.number(Number(value)), segments.find((s) => s.key === name)?.label ?? String(name)]} />
          {used.map((s) => (
            <Bar key={s.key} dataKey={s.key} name={s.key} stackId="a" fill={s.color} isAnimationActive={false} maxBarSize={24} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
});
StackedBarChart.displayName = 'StackedBarChart';

// ---------------------------------------------------------------------------------------------
// Counts by category (status, timeliness): donut or bars
// ---------------------------------------------------------------------------------------------

export type CountsChartProps = ChartProps & {
  items: readonly CountItem[];
  /** 'donut' (default) or 'bar'. */
  kind?: 'donut' | 'bar';
  /** The header of the table's first column (e.g. "Trạng thái"). */
  category?: string;
};

/** How many tasks per status or timeliness, as a donut or bars, with a legend and a table. */
export const CountsChart = memo(({ title, showTitle, items, kind = 'donut', category, className }: CountsChartProps) => {
  const words = useWords(WORDS);
  const format = useFormat();
  const narrow = useNarrow();
  const data = useMemo(() => items.filter((i) => n(i.value) > 0).map((i) => ({ key: i.key, name: i.label, value: n(i.value), color: i.color })), [items]);
  const total = data.reduce((sum, d) => sum + d.value, 0);
  const table = useMemo<TableData>(
    () => ({
      head: [category ?? words.name, words.total],
      rows: [...items.map((i) => ({ key: i.key, cells: [i.label, n(i.value)] as (string | number)[] })), { key: '__total', cells: [words.total, total] }],
    }),
    [items, category, words, total],
  );
  const height = kind === 'donut' ? (narrow ? 200 : 240) : Math.max(120, data.length * 32 + 40);
  const legend = data.map((d) => ({ key: d.key, label: d.name, color: d.color, value: d.value }));
  const R = useRecharts();
  const frame = { title, showTitle, className, height, table, empty: total === 0, legend };
  if (!R) return <ChartFrame {...frame} />;
  const { ResponsiveContainer, PieChart, Pie, Cell, Tooltip, BarChart, CartesianGrid, XAxis, YAxis, Bar } = R;
  return (
    <ChartFrame {...frame}>
      <ResponsiveContainer width="100%" height="100%">
        {kind === 'donut' ? (
          <PieChart accessibilityLayer={false}>
            <Pie
              data={data}
              dataKey="value"
              nameKey="name"
              innerRadius="55%"
              outerRadius="90%"
              paddingAngle={data.length > 1 ? 1 : 0}
              isAnimationActive={false}
            >
              {data.map((d) => (
                <Cell key={d.key} fill={d.color} />
              ))}
            </Pie>
            <Tooltip formatter={(value, name) => [format.number(Number(value)), String(name)]} />
          </PieChart>
        ) : (
          <BarChart data={data} layout="vertical" margin={{ top: 4, right: 12, bottom: 4, left: 4 }} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" allowDecimals={false} tickFormatter={(v: number) => format.number(v)} />
            <YAxis
              type="category"
              dataKey="name"
              width={narrow ? 112 : 170}
              interval={0}
              tick={{ fontSize: narrow ? 11 : 12 }}
              tickFormatter={(v: string) => clip(String(v), narrow ? 16 : 26)}
            />
            <Tooltip formatter={(value) => [format.number(Number(value)), title]} />
            <Bar dataKey="value" isAnimationActive={false} maxBarSize={24}>
              {data.map((d) => (
                <Cell key={d.key} fill={d.color} />
              ))}
            </Bar>
          </BarChart>
        )}
      </ResponsiveContainer>
    </ChartFrame>
  );
});
CountsChart.displayName = 'CountsChart';

// ---------------------------------------------------------------------------------------------
// Trend over time
// ---------------------------------------------------------------------------------------------

export type TrendChartProps = ChartProps & {
  points: readonly TrendPoint[];
  lines: readonly Segment[];
  /** The header of the table's first column (e.g. "Thời điểm"). */
  category?: string;
};

/** Lines over time (one per segment), with a table of every point. */
export const TrendChart = memo(({ title, showTitle, points, lines, category, className }: TrendChartProps) => {
  const words = useWords(WORDS);
  const format = useFormat();
  const narrow = useNarrow();
  const data = useMemo(() => points.map((p) => ({ label: p.label, ...Object.fromEntries(lines.map((l) => [l.key, n(p.values[l.key])])) })), [points, lines]);
  const table = useMemo<TableData>(
    () => ({
      head: [category ?? words.name, ...lines.map((l) => l.label)],
      rows: points.map((p, i) => ({ key: `${i}`, cells: [p.label, ...lines.map((l) => n(p.values[l.key]))] })),
    }),
    [points, lines, category, words],
  );
  const legend = lines.map((l) => ({ key: l.key, label: l.label, color: l.color }));
  const height = narrow ? 220 : 280;
  const R = useRecharts();
  const frame = { title, showTitle, className, height, table, empty: points.length === 0, legend };
  if (!R) return <ChartFrame {...frame} />;
  const { ResponsiveContainer, LineChart, CartesianGrid, XAxis, YAxis, Tooltip, Line } = R;
  return (
    <ChartFrame {...frame}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 8, right: 12, bottom: 4, left: 4 }} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="label" tick={{ fontSize: 11 }} minTickGap={narrow ? 12 : 4} />
          <YAxis allowDecimals={false} width={40} tickFormatter={(v: number) => format.number(v)} />
          <Tooltip formatter={(value, name) => [format.number(Number(value)), lines.find((l) => l.key === name)?.label ?? String(name)]} />
          {lines.map((l) => (
            <Line key={l.key} type="monotone" dataKey={l.key} name={l.key} stroke={l.color} strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
});
TrendChart.displayName = 'TrendChart';

// ---------------------------------------------------------------------------------------------
// Mini stacked bar (plain HTML, cheap enough for one per table row)
// ---------------------------------------------------------------------------------------------

export type MiniStackedBarProps = {
  /** The accessible name's start, e.g. the plan's number. */
  label: string;
  values: Record<string, number>;
  segments: readonly Segment[];
};

/** A one-line stacked bar with its numbers in a visually hidden list (no recharts: many per page). */
export const MiniStackedBar = memo(({ label, values, segments }: MiniStackedBarProps) => {
  const words = useWords(WORDS);
  const format = useFormat();
  const total = segments.reduce((sum, s) => sum + n(values[s.key]), 0);
  const used = segments.filter((s) => n(values[s.key]) > 0);
  const summary = used.map((s) => `${s.label}: ${format.number(n(values[s.key]))}`).join('; ');
  return (
    <div className="mini-bar">
      <div className="mini-bar-track" aria-hidden="true" title={summary || words.empty}>
        {used.map((s) => (
          <span key={s.key} style={{ width: `${(100 * n(values[s.key])) / total}%`, background: s.color }} />
        ))}
      </div>
      <ul className="sr-only" aria-label={label}>
        {total === 0 ? <li>{words.empty}</li> : used.map((s) => <li key={s.key}>{`${s.label}: ${format.number(n(values[s.key]))}`}</li>)}
      </ul>
      <span className="mini-bar-text" aria-hidden="true">
        {used.map((s, i) => (
          <span key={s.key} style={{ color: s.color }}>
            {i > 0 ? ' · ' : ''}
            {format.number(n(values[s.key]))}
          </span>
        ))}
      </span>
    </div>
  );
});
MiniStackedBar.displayName = 'MiniStackedBar';
