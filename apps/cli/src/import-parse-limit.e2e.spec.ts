// Issue 17: one import froze every city. A 40 KB line of "Sở Sở Sở … chủ trì" held a Hải Phòng request
// for 37 s and 1 MB of it left /health unanswered for minutes, because the document was read on the event
// loop that answers everyone, in time that grew with the cube of the line. Now the reading is linear and
// runs in a worker thread with a time limit (MANDATE_IMPORT_PARSE_TIMEOUT_MS, tiny here): over it, 422.
import { signToken } from '@mandate/http';
import { syntheticPlan } from '@mandate/plan-import';
import { embeddedDeployment, TEST_SECRET } from './testing/deployments';

jest.setTimeout(180_000);

const LIMIT_MS = 50;
const office = (cityId: string) => signToken(TEST_SECRET, { userId: `office-${cityId}`, agencyId: null, cityId, role: 'office' });

const pathological = [
  'ỦY BAN NHÂN DÂN',
  'THÀNH PHỐ HẢI PHÒNG',
  'Số: 17/KH-UBND',
  'Hải Phòng, ngày 15 tháng 1 năm 2025',
  'KẾ HOẠCH',
  'THỬ SỨC CHỊU ĐỰNG',
  '',
  'Căn cứ tình hình thực tế.',
  'I. NHIỆM VỤ',
  '1. Nhiệm vụ chung',
  `- ${'Sở '.repeat(16_000)}chủ trì thực hiện.`,
].join('\n');

describe(`Importing with a ${LIMIT_MS} ms reading limit`, () => {
  let deployment: Awaited<ReturnType<typeof embeddedDeployment>>;
  const importDocument = async (cityId: string, text: string, dryRun: boolean) => {
    const response = await fetch(`${deployment.url()}/api/v1/imports?city=${cityId}&dryRun=${dryRun}&document=probe.txt`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await office(cityId)}`, 'content-type': 'text/plain; charset=utf-8' },
      body: text,
    });
    return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as Record<string, any> };
  };

  beforeAll(async () => {
    deployment = await embeddedDeployment({ env: { MANDATE_IMPORT_PARSE_TIMEOUT_MS: String(LIMIT_MS), MANDATE_MAX_BODY: '6mb' } });
  });
  afterAll(() => deployment?.stop());

  it('answers /health and another city\'s request while Hải Phòng imports the issue\'s document (16,000 "Sở" on one line)', async () => {
    const reading = importDocument('hai-phong', pathological, true);
    const [health, plans, read] = await Promise.all([
      fetch(`${deployment.url()}/health`),
      fetch(`${deployment.url()}/api/v1/plans`, { headers: { authorization: `Bearer ${await office('ha-noi')}` } }),
      reading,
    ]);
    expect(health.status).toBe(200);
    expect(plans.status).toBe(200);
    // Read within the limit (one task, no lead), or stopped at it: either way answered, never held.
    expect([200, 422]).toContain(read.status);
    if (read.status === 200) expect(read.body.tasks).toEqual([expect.objectContaining({ lead: null })]);
  }, 30_000);

  it('stops a reading over the limit and answers 422 import-too-complex in plain words; nothing is imported', async () => {
    const text = syntheticPlan(12_000, '1717/KH-UBND');
    expect(Buffer.byteLength(text)).toBeGreaterThan(4_000_000);
    const refused = await importDocument('ha-noi', text, false);
    expect(refused).toMatchObject({
      status: 422,
      type: expect.stringMatching(/^application\/problem\+json/),
      body: {
        type: 'https://mandate.dev/problems/import-too-complex',
        status: 422,
        detail: expect.stringMatching(/^Reading "probe\.txt" took longer than 50 ms, the limit for one import, and was stopped; nothing was imported\./),
        limitMs: LIMIT_MS,
      },
    });
    const plans = (await (
      await fetch(`${deployment.url()}/api/v1/plans?limit=100`, { headers: { authorization: `Bearer ${await office('ha-noi')}` } })
    ).json()) as { items: { number: string }[] };
    expect(plans.items.map((plan) => plan.number)).not.toContain('1717/KH-UBND');
    // The platform goes on answering; the next document goes to a fresh worker (parse-pool.int.spec.ts).
    expect((await fetch(`${deployment.url()}/health`)).status).toBe(200);
  });
});
