import type { RecordedNotice } from '../notification-log';

/** What an e-mail says of its task: kept by the notifications service from task.issued and task.revised. */
export type MailTask = { ref: string; title: string; planNumber: string; deadline: string };

export type Mail = { subject: string; text: string; html: string };

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The reason a status change gave (trả lại, từ chối), when it gave one. */
const reasonOf = (notice: RecordedNotice): string | null => {
  const note = (notice.event.data as { note?: unknown } | null)?.note;
  return typeof note === 'string' && note.trim() ? note.trim() : null;
};

/** The Vietnamese e-mail of a notice: subject, plain text and HTML saying the same. */
export const mailFor = (notice: RecordedNotice, task: MailTask | null, taskUrl: string): Mail => {
  const title = task?.title ?? 'một nhiệm vụ';
  const short = title.length > 90 ? `${title.slice(0, 89)}…` : title;
  const lines: [string, string][] = [
    ['Nhiệm vụ', title],
    ...(task ? ([['Số thứ tự', `${task.ref}, Kế hoạch số ${task.planNumber}`], ['Thời hạn', task.deadline || 'Không ghi thời hạn']] as [string, string][]) : []),
    ...(reasonOf(notice) ? ([['Lý do', reasonOf(notice)!]] as [string, string][]) : []),
  ];
  const text = [
    'Kính gửi Quý cơ quan,',
    '',
    `${notice.subject}.`,
    ...lines.map(([label, value]) => `${label}: ${value}`),
    '',
    `Xem chi tiết: ${taskUrl}`,
    '',
    'Thư được gửi tự động từ hệ thống Mandate, đề nghị không trả lời thư này.',
  ].join('\n');
  const html = `<!doctype html><html lang="vi"><body style="font-family:Arial,sans-serif">
<p>Kính gửi Quý cơ quan,</p>
<p><strong>${escape(notice.subject)}.</strong></p>
<table>${lines.map(([label, value]) => `<tr><td style="padding-right:1em;color:#555">${escape(label)}</td><td>${escape(value)}</td></tr>`).join('')}</table>
<p><a href="${escape(taskUrl)}">Xem chi tiết nhiệm vụ</a></p>
<p style="color:#777;font-size:smaller">Thư được gửi tự động từ hệ thống Mandate, đề nghị không trả lời thư này.</p>
</body></html>`;
  return { subject: `[Mandate] ${notice.subject}: ${task ? `${task.ref} ` : ''}${short}`, text, html };
};
