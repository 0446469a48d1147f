import type { DigestTask, WeeklyDigest } from '@mandate/notifications-domain';
import type { MailTask } from '../notice-tasks';
import type { RecordedNotice } from '../notification-log';

export type Mail = { subject: string; text: string; html: string };

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const GREETING = 'Kính gửi Quý cơ quan,';
const FOOTER = 'Thư được gửi tự động từ hệ thống Mandate, đề nghị không trả lời thư này.';
const dmy = (day: string | null) => (day ? `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}` : 'Không ghi thời hạn');
const page = (body: string) =>
  `<!doctype html><html lang="vi"><body style="font-family:Arial,sans-serif">\n<p>${GREETING}</p>\n${body}\n<p style="color:#777;font-size:smaller">${FOOTER}</p>\n</body></html>`;
const shorten = (title: string) => (title.length > 90 ? `${title.slice(0, 89)}…` : title);

/** The Vietnamese e-mail of a notice about one task: subject, plain text and HTML saying the same. */
export const mailFor = (notice: Pick<RecordedNotice, 'subject' | 'reason'>, task: MailTask | null, taskUrl: string): Mail => {
  const title = task?.title ?? 'một nhiệm vụ';
  const lines: [string, string][] = [
    ['Nhiệm vụ', title],
    ...(task
      ? ([
          ['Số thứ tự', `${task.ref}, ${task.planNumber === null ? 'Kế hoạch chưa có số' : `Kế hoạch số ${task.planNumber}`}`],
          ['Thời hạn', task.deadline || 'Không ghi thời hạn'],
        ] as [string, string][])
      : []),
    ...(notice.reason ? ([['Lý do', notice.reason]] as [string, string][]) : []),
  ];
  const text = [GREETING, '', `${notice.subject}.`, ...lines.map(([label, value]) => `${label}: ${value}`), '', `Xem chi tiết: ${taskUrl}`, '', FOOTER].join(
    '\n',
  );
  const html = page(`<p><strong>${escape(notice.subject)}.</strong></p>
<table>${lines.map(([label, value]) => `<tr><td style="padding-right:1em;color:#555">${escape(label)}</td><td>${escape(value)}</td></tr>`).join('')}</table>
<p><a href="${escape(taskUrl)}">Xem chi tiết nhiệm vụ</a></p>`);
  return { subject: `[Mandate] ${notice.subject}: ${task ? `${task.ref} ` : ''}${shorten(title)}`, text, html };
};

/** The e-mail of a notice about an agency's report for a period: which period, by when, where to file it. */
export const reportMailFor = (notice: Pick<RecordedNotice, 'subject'>, report: { periodKey: string; dueOn: string }, reportUrl: string): Mail => {
  const lines: [string, string][] = [
    ['Kỳ báo cáo', report.periodKey],
    ['Hạn gửi báo cáo', dmy(report.dueOn || null)],
  ];
  const text = [
    GREETING,
    '',
    `${notice.subject}.`,
    ...lines.map(([label, value]) => `${label}: ${value}`),
    '',
    `Lập và gửi báo cáo: ${reportUrl}`,
    '',
    FOOTER,
  ].join('\n');
  const html = page(`<p><strong>${escape(notice.subject)}.</strong></p>
<table>${lines.map(([label, value]) => `<tr><td style="padding-right:1em;color:#555">${escape(label)}</td><td>${escape(value)}</td></tr>`).join('')}</table>
<p><a href="${escape(reportUrl)}">Lập và gửi báo cáo</a></p>`);
  return { subject: `[Mandate] ${notice.subject}: kỳ ${report.periodKey}, hạn ${dmy(report.dueOn || null)}`, text, html };
};

const SECTIONS: [keyof Omit<WeeklyDigest, 'week'>, string][] = [
  ['overdue', 'Nhiệm vụ đã quá hạn'],
  ['dueThisWeek', 'Nhiệm vụ đến hạn trong 7 ngày tới'],
  ['awaitingConfirmation', 'Nhiệm vụ chờ xác nhận hoàn thành'],
];

/** The weekly digest: the tasks overdue, due within a week and awaiting confirmation, each with its link. */
export const digestMailFor = (subject: string, digest: WeeklyDigest, publicUrl: string): Mail => {
  const line = (t: DigestTask) => `${t.ref} (KH ${t.planNumber ?? 'chưa có số'}, hạn ${dmy(t.due)}): ${t.title}`;
  const sections = SECTIONS.filter(([key]) => digest[key].length > 0);
  const text = [
    GREETING,
    '',
    `${subject} (tuần ${digest.week}).`,
    ...sections.flatMap(([key, heading]) => [
      '',
      `${heading} (${digest[key].length}):`,
      ...digest[key].map((t) => `- ${line(t)}\n  ${publicUrl}/tasks/${t.taskId}`),
    ]),
    '',
    FOOTER,
  ].join('\n');
  const html = page(
    `<p><strong>${escape(subject)} (tuần ${escape(digest.week)}).</strong></p>\n` +
      sections
        .map(
          ([key, heading]) =>
            `<h3>${escape(heading)} (${digest[key].length})</h3><ul>${digest[key].map((t) => `<li><a href="${escape(`${publicUrl}/tasks/${t.taskId}`)}">${escape(line(t))}</a></li>`).join('')}</ul>`,
        )
        .join('\n'),
  );
  const counts = sections.map(([key, heading]) => `${digest[key].length} ${heading.replace('Nhiệm vụ ', '').toLowerCase()}`).join(', ');
  return { subject: `[Mandate] ${subject} ${digest.week}: ${counts}`, text, html };
};

/** Several held notices in one e-mail (digest only, or past the hourly limit): their subjects and links. */
export const bundleMailFor = (held: readonly { subject: string; link: string }[], publicUrl: string): Mail => {
  const items = held.map((i) => ({ ...i, subject: i.subject.replace(/^\[Mandate\] /, '') }));
  const text = [
    GREETING,
    '',
    `Quý cơ quan có ${items.length} thông báo mới:`,
    ...items.map((i) => `- ${i.subject}\n  ${i.link}`),
    '',
    `Hộp thư Mandate: ${publicUrl}/`,
    '',
    FOOTER,
  ].join('\n');
  const html = page(
    `<p><strong>Quý cơ quan có ${items.length} thông báo mới:</strong></p>\n<ul>${items.map((i) => `<li><a href="${escape(i.link)}">${escape(i.subject)}</a></li>`).join('')}</ul>`,
  );
  return { subject: `[Mandate] ${items.length} thông báo mới`, text, html };
};
