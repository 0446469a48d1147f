import { digestMailFor, mailFor } from './mail-templates';

// A task of a plan tracked before signing (task.issued.v3: planNumber null) is mailed without a number, not as "số null".
describe('E-mails about a task of a plan without a number', () => {
  const task = { ref: 'PL2.I.1', title: 'Rà soát văn bản quy phạm pháp luật', planNumber: null, deadline: 'Quý I/2024' };

  it('say the plan has no number yet', () => {
    const mail = mailFor({ subject: 'Được giao chủ trì nhiệm vụ', reason: null }, task, 'https://mandate.example/tasks/t1');
    expect(mail.text).toContain('Số thứ tự: PL2.I.1, Kế hoạch chưa có số');
    expect(mail.html).toContain('PL2.I.1, Kế hoạch chưa có số');
    expect(mail.text).not.toContain('null');
    expect(mailFor({ subject: 'Được giao chủ trì nhiệm vụ', reason: null }, { ...task, planNumber: '183/KH-UBND' }, 'u').text).toContain(
      'PL2.I.1, Kế hoạch số 183/KH-UBND',
    );
  });

  it('list it in the weekly digest as "KH chưa có số"', () => {
    const digest = {
      week: '2024-W02',
      overdue: [{ taskId: 't1', ref: 'PL2.I.1', title: task.title, planNumber: null, status: 'in_progress' as const, due: '2024-01-05' }],
      dueThisWeek: [],
      awaitingConfirmation: [],
    };
    const mail = digestMailFor('Tổng hợp nhiệm vụ', digest, 'https://mandate.example');
    expect(mail.text).toContain('PL2.I.1 (KH chưa có số, hạn 05/01/2024)');
    expect(mail.text).not.toContain('null');
  });
});
