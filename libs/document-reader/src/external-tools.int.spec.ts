import { getPriority } from 'node:os';
import { budgetOf, runTool, TOOL_NICENESS } from './external-tools';

describe("runTool (the readers' external tools: poppler, tesseract, antiword)", () => {
  it('runs a tool at a lower CPU priority than the service, so OCR gives way to the requests it serves', async () => {
    const run = await runTool('/bin/sh', ['-c', 'nice'], budgetOf({ timeoutMs: 10_000 }));
    expect(run.code).toBe(0);
    expect(Number(run.stdout.toString('utf8').trim())).toBe(Math.min(19, getPriority() + TOOL_NICENESS));
  });

  it("stops a tool that outlives the read's time as document.timeout", async () => {
    await expect(runTool('/bin/sh', ['-c', 'sleep 5'], budgetOf({ timeoutMs: 200 }))).rejects.toMatchObject({ code: 'document.timeout' });
  });
});
