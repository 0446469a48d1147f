import { randomUUID } from 'node:crypto';
import { Presets, SingleBar } from 'cli-progress';
import pLimit from 'p-limit';
import type { NewEvent, PostgresEventStore } from '@mandate/event-store';
import { CURRENT_SCHEMA_VERSIONS } from '@mandate/plans-app';

export type GenerateOptions = { cities: number; plans: number; tasks: number; eventsPerTask: number; writers?: number; progress?: boolean };

const AGENCIES = ['so-ke-hoach-dau-tu', 'so-tai-chinh', 'so-tu-phap', 'so-noi-vu', 'so-xay-dung', 'so-y-te'];
const DEADLINES = [
  { text: 'Quý IV/2025', kind: 'quarter', due: '2025-12-31', start: '2025-10-01', recurrence: null },
  { text: 'Tháng 6/2026', kind: 'month', due: '2026-06-30', start: '2026-06-01', recurrence: null },
  { text: 'Định kỳ hàng năm', kind: 'recurring', due: null, start: null, recurrence: 'yearly' },
];

/**
 * A large multi-city data set written straight to the plans log (valid domain events, as the deciders
 * would decide them), for benchmarks: cities × plans × tasks streams of `eventsPerTask` events each.
 * The read model is not written: rebuild it from the log afterwards.
 */
export const generate = async (store: PostgresEventStore, options: GenerateOptions): Promise<{ events: number; seconds: number }> => {
  const total = options.cities * options.plans * (options.tasks * options.eventsPerTask + 1);
  const bar = options.progress
    ? new SingleBar(
        {
          format: 'generating [{bar}] {percentage}% | {value}/{total} events | {rate} events/s',
          stream: process.stderr,
          noTTYOutput: true,
          notTTYSchedule: 1000,
        },
        Presets.shades_classic,
      )
    : null;
  bar?.start(total, 0, { rate: 0 });
  const started = Date.now();
  let written = 0;
  const limit = pLimit(options.writers ?? 8);
  const at = new Date('2025-01-15T02:00:00Z');
  const event = (type: string, data: Record<string, unknown>, cityId: string, actor = 'generator'): NewEvent => ({
    id: randomUUID(),
    type,
    schemaVersion: CURRENT_SCHEMA_VERSIONS[type] ?? 1,
    data,
    metadata: { cityId, actorId: actor, role: 'office', agencyId: null, correlationId: randomUUID(), causationId: null, occurredAt: at.toISOString() },
  });
  const jobs: Promise<void>[] = [];
  for (let c = 1; c <= options.cities; c++) {
    const cityId = `city-${c}`;
    for (let p = 1; p <= options.plans; p++) {
      const planId = randomUUID();
      const number = `${p}/KH-UBND`;
      const tasks = Array.from({ length: options.tasks }, (_, t) => ({ taskId: randomUUID(), ref: `PL1.${t + 1}` }));
      jobs.push(
        limit(async () => {
          for (const [t, task] of tasks.entries()) {
            const lead = AGENCIES[t % AGENCIES.length];
            const events: NewEvent[] = [
              event(
                'TaskIssued',
                {
                  taskId: task.taskId,
                  planId,
                  planNumber: number,
                  ref: task.ref,
                  title: `Nhiệm vụ ${t + 1} của kế hoạch ${number}`,
                  group: null,
                  deliverable: 'Báo cáo',
                  deadline: DEADLINES[t % DEADLINES.length],
                  supervisor: null,
                  note: null,
                  issuedAt: at.toISOString(),
                },
                cityId,
              ),
              event(
                'TaskAssigned',
                {
                  taskId: task.taskId,
                  planId,
                  lead: { agencyId: lead, name: lead, text: lead, resolution: 'resolved' },
                  coordinators: [],
                  previousLeadAgencyId: null,
                  assignedAt: at.toISOString(),
                  reason: null,
                },
                cityId,
              ),
            ];
            let status = 'not_started';
            for (let n = 0; events.length < options.eventsPerTask; n++) {
              if (n % 2 === 1) {
                events.push(
                  event(
                    'ProgressReported',
                    { taskId: task.taskId, planId, percent: Math.min(100, n * 10), text: 'Đang triển khai', attachments: [], reportedAt: at.toISOString() },
                    cityId,
                  ),
                );
                continue;
              }
              // Started, submitted, then returned and resubmitted for as long as the events last.
              const to = status === 'not_started' ? 'in_progress' : status === 'submitted' ? 'returned' : 'submitted';
              events.push(
                event(
                  'TaskStatusChanged',
                  { taskId: task.taskId, planId, from: status, to, note: to === 'returned' ? 'Bổ sung số liệu' : '', changedAt: at.toISOString() },
                  cityId,
                ),
              );
              status = to;
            }
            await store.append(`task-${task.taskId}`, events, { expectedVersion: 'no_stream', cityId });
            written += events.length;
            bar?.update(written, { rate: Math.round(written / Math.max((Date.now() - started) / 1000, 0.001)) });
          }
          await store.append(
            `plan-${planId}`,
            [
              event(
                'PlanIssued',
                {
                  planId,
                  number,
                  kind: 'plan',
                  title: `Kế hoạch ${number} của ${cityId}`,
                  issuedOn: '2025-01-15',
                  effectiveOn: null,
                  issuer: `UBND ${cityId}`,
                  signer: null,
                  fields: [],
                  implements: [],
                  source: { document: 'generated', truncated: false, warnings: [] },
                  tasks,
                  issuedAt: at.toISOString(),
                },
                cityId,
              ),
            ],
            { expectedVersion: 'no_stream', cityId },
          );
          written += 1;
        }),
      );
    }
  }
  await Promise.all(jobs);
  bar?.update(written, { rate: Math.round(written / Math.max((Date.now() - started) / 1000, 0.001)) });
  bar?.stop();
  return { events: written, seconds: (Date.now() - started) / 1000 };
};
