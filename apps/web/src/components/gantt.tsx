import { memo, useId, useMemo } from 'react';
import { label, TIMELINESS_CODES, useCommon, useFormat, useWords } from '../i18n';
import { TableHead } from './table';
import { clip } from '../text';

/** One bar: a task with a due date, from its start (or the plan's issue date) to that date. */
export type GanttItem = {
  id: string;
  ref: string;
  title: string;
  /** First day (YYYY-MM-DD) when the deadline names one; else the chart's `defaultStart`. */
  start?: string | null;
  /** Due date (YYYY-MM-DD); items without one are not drawn. */
  due: string | null;
  timeliness: string;
};

type Props = {
  items: readonly GanttItem[];
  /** Where bars without a start begin: the plan's issue date (YYYY-MM-DD). */
  defaultStart?: string | null;
  /** "Now" as the server judged timeliness (the counts' `at`), else the browser's clock. */
  today?: Date | string | null;
  /** The chart's accessible name. */
  label?: string;
};

const WORDS = {
  vi: {
    name: 'Biểu đồ thời hạn nhiệm vụ',
    region: 'Biểu đồ thời hạn (cuộn được)',
    today: 'Hôm nay',
    task: 'Nhiệm vụ',
    summary:
      'Mỗi hàng là một nhiệm vụ có hạn cụ thể, thanh kéo dài từ ngày bắt đầu (hoặc ngày ban hành kế hoạch) đến hạn hoàn thành; màu theo tình trạng thời hạn. Bảng dưới đây tóm tắt số nhiệm vụ đến hạn theo tháng.',
    shown: 'nhiệm vụ có hạn cụ thể được vẽ',
    hidden: 'nhiệm vụ không có hạn cụ thể không được vẽ',
    empty: 'Không có nhiệm vụ nào có hạn cụ thể để vẽ biểu đồ.',
    legend: 'Chú giải',
    byMonth: 'Số nhiệm vụ đến hạn theo tháng',
    month: 'Tháng',
    total: 'Tổng số',
    open: 'Chưa hoàn thành, trong hạn',
    done: 'Đã hoàn thành',
    from: 'từ',
    to: 'đến',
  },
  en: {
    name: 'Task deadline timeline',
    region: 'Deadline timeline (scrollable)',
    today: 'Today',
    task: 'Task',
    summary:
      'Each row is a task with a due date; its bar runs from its start (or the plan’s issue date) to the due date, coloured by timeliness. The table below sums up the tasks due per month.',
    shown: 'tasks with a due date are drawn',
    hidden: 'tasks without a due date are not drawn',
    empty: 'No task has a due date to draw.',
    legend: 'Legend',
    byMonth: 'Tasks due per month',
    month: 'Month',
    total: 'Total',
    open: 'Open, on time',
    done: 'Completed',
    from: 'from',
    to: 'to',
  },
};

const DAY_MS = 86_400_000;
const ROW = 20;
const BAR = 12;
const HEAD = 40;
const LABEL_W = 104;

/** Days since the epoch of a YYYY-MM-DD calendar date; null when it is not one. */
const dayOf = (iso: string | null | undefined): number | null => {
  if (!iso) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS : null;
};

/** The Hà Nội calendar day of an instant (timeliness is judged in Asia/Ho_Chi_Minh). */
const vnDayOf = (instant: Date): number => Math.floor((instant.getTime() + 7 * 3_600_000) / DAY_MS);

const isoOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const pad = (n: number) => String(n).padStart(2, '0');

type Bar = { item: GanttItem; x: number; w: number; y: number; tip: string };

const GanttChart = ({ items, defaultStart, today, label: name }: Props) => {
  const words = useWords(WORDS);
  const common = useCommon();
  const fmt = useFormat();
  const id = useId();
  const chartName = name ?? words.name;

  const todayDay = useMemo(() => {
    const instant = today ? new Date(today) : new Date();
    return vnDayOf(Number.isNaN(instant.getTime()) ? new Date() : instant);
  }, [today]);

  const layout = useMemo(() => {
    const fallback = dayOf(defaultStart);
    const dated = items
      .map((item) => {
        const due = dayOf(item.due);
        if (due === null) return null;
        const start = dayOf(item.start) ?? fallback ?? due;
        return { item, start: Math.min(start, due), due };
      })
      .filter((d): d is { item: GanttItem; start: number; due: number } => d !== null);
    if (dated.length === 0) return null;

    let min = todayDay;
    let max = todayDay;
    for (const d of dated) {
      if (d.start < min) min = d.start;
      if (d.due > max) max = d.due;
    }
    // Whole months on both ends.
    const first = new Date(min * DAY_MS);
    const last = new Date(max * DAY_MS);
    const from = Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), 1) / DAY_MS;
    const to = Date.UTC(last.getUTCFullYear(), last.getUTCMonth() + 1, 1) / DAY_MS;
    const days = to - from;
    // Wide enough to read a month (about 30 px at least), never absurdly wide.
    const perDay = Math.min(8, Math.max(1, 900 / days));
    const width = Math.ceil(days * perDay) + 16;
    const x = (day: number) => 8 + (day - from) * perDay;

    const months: { x: number; y: number; m: number }[] = [];
    for (let d = new Date(from * DAY_MS); d.getTime() < to * DAY_MS; d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1))) {
      months.push({ x: x(d.getTime() / DAY_MS), y: d.getUTCFullYear(), m: d.getUTCMonth() + 1 });
    }
    const monthPx = 30 * perDay;
    const step = Math.max(1, Math.ceil(44 / monthPx));
    // Labelled ticks (every `step` months), the year under the first of each year.
    const ticks = months.filter((_, i) => i % step === 0).map((mo, i, all) => ({ ...mo, showYear: i === 0 || all[i - 1].y !== mo.y }));

    const bars: Bar[] = dated.map((d, i) => {
      const x0 = x(d.start);
      const x1 = x(d.due + 1);
      const t = clip(d.item.title, 140);
      return {
        item: d.item,
        x: x0,
        w: Math.max(3, x1 - x0),
        y: i * ROW + (ROW - BAR) / 2,
        tip: `${d.item.ref} ${t} — ${words.from} ${fmt.date(isoOf(d.start))} ${words.to} ${fmt.date(d.item.due)} — ${label(common, d.item.timeliness)}`,
      };
    });

    // The text alternative: tasks due per month, by timeliness.
    const perMonth = new Map<string, { key: string; total: number; counts: Record<string, number> }>();
    for (const d of [...dated].sort((a, b) => a.due - b.due)) {
      const date = new Date(d.due * DAY_MS);
      const key = `${pad(date.getUTCMonth() + 1)}/${date.getUTCFullYear()}`;
      const entry = perMonth.get(key) ?? { key, total: 0, counts: {} };
      entry.total += 1;
      entry.counts[d.item.timeliness] = (entry.counts[d.item.timeliness] ?? 0) + 1;
      perMonth.set(key, entry);
    }

    return { bars, months, ticks, width, height: dated.length * ROW + 4, todayX: x(todayDay + 0.5), perMonth: [...perMonth.values()], drawn: dated.length };
  }, [items, defaultStart, todayDay, fmt, words, common]);

  const hidden = items.length - (layout?.drawn ?? 0);

  if (!layout) {
    return (
      <p className="muted" role="status">
        {words.empty}
      </p>
    );
  }

  const { bars, months, ticks, width, height, todayX, perMonth } = layout;
  const todayLabel = `${words.today} ${fmt.date(isoOf(todayDay))}`;

  return (
    <figure className="gantt" aria-labelledby={`${id}-cap`}>
      <figcaption id={`${id}-cap`}>
        <strong>{chartName}</strong>{' '}
        <span className="muted">
          ({fmt.number(layout.drawn)} {words.shown}
          {hidden > 0 ? `; ${fmt.number(hidden)} ${words.hidden}` : ''})
        </span>
      </figcaption>
      <ul className="gantt-legend" aria-label={words.legend}>
        {TIMELINESS_CODES.filter((t) => t !== 'no_deadline').map((t) => (
          <li key={t}>
            <span className={`gantt-swatch ${t}`} aria-hidden="true" />
            {label(common, t)}
          </li>
        ))}
        <li>
          <span className="gantt-swatch today" aria-hidden="true" />
          {words.today}
        </li>
      </ul>
      <div className="gantt-scroll" role="region" aria-label={words.region} tabIndex={0}>
        <div className="gantt-grid" style={{ width: LABEL_W + width, gridTemplateColumns: `${LABEL_W}px ${width}px` }}>
          <div className="gantt-corner" aria-hidden="true">
            {words.task}
          </div>
          <div className="gantt-head" aria-hidden="true">
            <svg width={width} height={HEAD} focusable="false">
              {ticks.map((mo) => (
                <g key={`${mo.y}-${mo.m}`}>
                  <line x1={mo.x} x2={mo.x} y1={HEAD - 8} y2={HEAD} className="gantt-tick" />
                  <text x={mo.x + 2} y={15} className="gantt-tick-label">
                    01/{pad(mo.m)}
                  </text>
                  {mo.showYear && (
                    <text x={mo.x + 2} y={30} className="gantt-year">
                      {mo.y}
                    </text>
                  )}
                </g>
              ))}
              <line x1={todayX} x2={todayX} y1={0} y2={HEAD} className="gantt-today" />
            </svg>
          </div>
          <div className="gantt-labels" aria-hidden="true">
            <svg width={LABEL_W} height={height} focusable="false">
              {bars.map((bar) => (
                <text key={bar.item.id} x={6} y={bar.y + BAR - 2} className={`gantt-ref ${bar.item.timeliness}`}>
                  {clip(bar.item.ref, 14)}
                </text>
              ))}
            </svg>
          </div>
          <div className="gantt-body">
            <svg width={width} height={height} role="img" aria-label={chartName} aria-describedby={`${id}-desc`} focusable="false">
              <title>{chartName}</title>
              {months.map((mo) => (
                <line key={`${mo.y}-${mo.m}`} x1={mo.x} x2={mo.x} y1={0} y2={height} className={mo.m === 1 ? 'gantt-grid-line year' : 'gantt-grid-line'} />
              ))}
              {bars.map((bar) => (
                <rect key={bar.item.id} x={bar.x} y={bar.y} width={bar.w} height={BAR} rx={2} className={`gantt-bar ${bar.item.timeliness}`}>
                  <title>{bar.tip}</title>
                </rect>
              ))}
              <line x1={todayX} x2={todayX} y1={0} y2={height} className="gantt-today">
                <title>{todayLabel}</title>
              </line>
            </svg>
          </div>
        </div>
      </div>
      <div className="sr-only">
        <p id={`${id}-desc`}>
          {words.summary} {todayLabel}.
        </p>
        <table>
          <caption>{words.byMonth}</caption>
          <TableHead columns={[words.month, words.total, label(common, 'overdue'), label(common, 'due_soon'), words.open, words.done]} />
          <tbody>
            {perMonth.map((m) => (
              <tr key={m.key}>
                <th scope="row">{m.key}</th>
                <td>{fmt.number(m.total)}</td>
                <td>{fmt.number(m.counts.overdue ?? 0)}</td>
                <td>{fmt.number(m.counts.due_soon ?? 0)}</td>
                <td>{fmt.number(m.counts.on_time ?? 0)}</td>
                <td>{fmt.number((m.counts.completed_on_time ?? 0) + (m.counts.completed_late ?? 0))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
};

/** A timeline of deadlines in plain SVG (hundreds of bars): one row per task with a due date, today's line, month ticks. */
export const Gantt = memo(GanttChart);
export default Gantt;
