// `mandate audit …` and the /api/v1/audit routes against the embedded deployment: a clean log verifies,
// closed days are anchored, a signed export verifies offline (and not after one byte changes), and an
// altered row or a deleted stream is named.
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { signToken } from '@mandate/http';
import { addDays, localDayOf } from '@mandate/kernel';
import { eventHash } from '@mandate/event-store';
import { embeddedDeployment, TEST_SECRET } from './testing/deployments';

jest.setTimeout(180_000);
type Json = Record<string, any>;
const ROOT = path.resolve(__dirname, '../../..');

describe('mandate audit', () => {
  const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mandate-audit-e2e-'));
  const previousKey = process.env.MANDATE_AUDIT_SIGNING_KEY;
  let deployment: Awaited<ReturnType<typeof embeddedDeployment>>;
  let sql: Client;

  /** Runs the CLI against the deployment's database; never throws on a non-zero exit. */
  const mandate = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [path.join(ROOT, 'bin/mandate.js'), 'audit', ...args],
        { cwd: ROOT, env: { ...process.env, DATABASE_URL: deployment.db.url, LOG_LEVEL: 'silent', MANDATE_DATA_DIR: dir, MANDATE_AUDIT_SIGNING_KEY: pem } },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
  const json = (stdout: string) => JSON.parse(stdout) as Json;
  let auditor: string;
  let office: string;
  beforeAll(async () => {
    auditor = await signToken(TEST_SECRET, { userId: 'auditor-1', role: 'auditor', agencyId: null, cityId: 'ha-noi' });
    office = await signToken(TEST_SECRET, { userId: 'office-audit', role: 'office', agencyId: null, cityId: 'ha-noi' });
  });
  const get = async (url: string, token = auditor) => {
    const response = await fetch(`${deployment.url()}/api/v1${url}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, text: await response.text(), headers: response.headers };
  };
  /** Table-owner rights: the append-only trigger switched off around a change. */
  const tamper = async (statement: string, params: unknown[]) => {
    await sql.query('ALTER TABLE plans.events DISABLE TRIGGER events_append_only');
    try {
      await sql.query(statement, params);
    } finally {
      await sql.query('ALTER TABLE plans.events ENABLE TRIGGER events_append_only');
    }
  };

  /** Every hash of the city's streams recomputed from the stored columns, as the append function would. */
  const rechainCity = async (city: string) => {
    const { rows } = await sql.query(
      `SELECT global_position::text AS position, stream_id, stream_version::text AS version, event_id, type, schema_version, data, metadata,
              recorded_at, hash, hash_version FROM plans.events WHERE city_id = $1 ORDER BY stream_id, stream_version`,
      [city],
    );
    await sql.query('ALTER TABLE plans.events DISABLE TRIGGER events_append_only');
    try {
      let previous = { stream: '', hash: '' };
      for (const row of rows) {
        const hash = eventHash(previous.stream === row.stream_id ? previous.hash : '', {
          streamId: row.stream_id,
          streamVersion: BigInt(row.version),
          eventId: row.event_id,
          type: row.type,
          schemaVersion: row.schema_version,
          data: row.data,
          metadata: row.metadata,
          cityId: city,
          hashVersion: row.hash_version,
          globalPosition: BigInt(row.position),
          recordedAt: row.recorded_at,
        });
        if (hash !== row.hash) await sql.query('UPDATE plans.events SET hash = $2 WHERE event_id = $1', [row.event_id, hash]);
        previous = { stream: row.stream_id, hash };
      }
    } finally {
      await sql.query('ALTER TABLE plans.events ENABLE TRIGGER events_append_only');
    }
  };

  beforeAll(async () => {
    // The deployment's plans service reads the key from its environment on the first export.
    process.env.MANDATE_AUDIT_SIGNING_KEY = pem;
    deployment = await embeddedDeployment();
    sql = new Client({ connectionString: deployment.db.url });
    await sql.connect();
  });
  afterAll(async () => {
    await sql?.end();
    await deployment?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    if (previousKey === undefined) delete process.env.MANDATE_AUDIT_SIGNING_KEY;
    else process.env.MANDATE_AUDIT_SIGNING_KEY = previousKey;
  });

  it('verifies, anchors, exports, searches, and names what was altered', async () => {
    // A clean deployment: chains whole, nothing anchored or signed yet (every event is of today, the
    // deployment runs no anchoring pass): nothing broken (0), what could not be checked is named, and
    // an auditor who requires a checkpoint gets exit status 3.
    const clean = await mandate('verify', '--city', 'ha-noi');
    expect(clean.code).toBe(0);
    expect(clean.stderr).toContain('not covered by a signed checkpoint');
    expect((await mandate('verify', '--city', 'ha-noi', '--require-checkpoint')).code).toBe(3);
    expect(json(clean.stdout)).toMatchObject({
      city: 'ha-noi',
      ok: true,
      firstBroken: null,
      anchors: { checked: 0, firstBroken: null },
      checkpoints: { checked: 0, last: null, firstBroken: null },
      unverified: { events: expect.any(Number), reason: 'no signed checkpoint covers the city’s log' },
    });
    expect(clean.stderr).toMatch(/verify \[.*\] 100% \| (\d+)\/\1 events/);
    expect(JSON.parse((await get('/audit/verify')).text)).toMatchObject({ ok: true, firstBroken: null, anchors: { checked: 0, firstBroken: null } });

    // Two days on: the seeds' events were recorded the day before yesterday (moved, and re-chained as
    // recorded_at is hashed: what nothing signed covers yet can still be rewritten whole).
    await tamper(`UPDATE plans.events SET recorded_at = recorded_at - interval '2 days' WHERE city_id = 'ha-noi'`, []);
    await rechainCity('ha-noi');
    const anchored = await mandate('anchor', '--city', 'ha-noi');
    expect(anchored.code).toBe(0);
    expect(json(anchored.stdout).checkpoints).toMatchObject([{ city: 'ha-noi', seq: 1 }]);
    const anchors = json(anchored.stdout).anchored as Json[];
    expect(anchors.length).toBeGreaterThanOrEqual(1);
    expect(anchors[0]).toMatchObject({ city: 'ha-noi', previousAnchorRoot: null, root: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(json((await mandate('anchor', '--city', 'ha-noi')).stdout).anchored).toEqual([]);
    expect(JSON.parse((await get('/audit/anchors')).text).items.map((a: Json) => a.root)).toEqual(anchors.map((a) => a.root));
    const signed = await mandate('verify', '--city', 'ha-noi');
    expect(signed.code).toBe(0);
    expect(json(signed.stdout)).toMatchObject({
      ok: true,
      anchors: { checked: anchors.length, firstBroken: null },
      checkpoints: { checked: 1, signaturesChecked: true },
      unverified: null,
    });

    // Today, the office edits a task: the search finds it by actor, with its reason.
    const plans = JSON.parse((await get('/plans')).text).items as Json[];
    const planId = plans.find((p) => p.number === '183/KH-UBND')!.id as string;
    const [task] = JSON.parse((await get(`/plans/${planId}/tasks?limit=1`)).text).items as Json[];
    const edited = await fetch(`${deployment.url()}/api/v1/tasks/${task.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${office}`, 'content-type': 'application/json', 'if-match': `"${task.version}"` },
      body: JSON.stringify({ deadline: 'Quý IV/2026', reason: 'Theo chỉ đạo của UBND thành phố' }),
    });
    expect(edited.status).toBe(200);
    const found = JSON.parse((await get('/audit/events?actor=office-audit')).text);
    expect(found).toMatchObject({
      next: null,
      items: [{ streamId: `task-${task.id}`, actor: { userId: 'office-audit', role: 'office' }, reason: 'Theo chỉ đạo của UBND thành phố' }],
    });
    const history = JSON.parse((await get(`/audit/plans/${planId}/history`)).text);
    // Tasks are issued before their plan, so the plan's first event comes after theirs.
    expect(history.items.filter((e: Json) => e.streamId === `plan-${planId}`)[0]).toMatchObject({ type: 'PlanIssued', version: 1 });
    expect(history.items[0]).toMatchObject({ type: 'TaskIssued', version: 1 });
    expect(history.items.at(-1)).toMatchObject({ streamId: `task-${task.id}`, actor: { userId: 'office-audit' } });
    expect(history.streams).toBeGreaterThan(1);

    // The signed export, over HTTP and from the CLI, verifies offline against the deployment's key.
    const publicKey = path.join(dir, 'public.pem');
    fs.writeFileSync(publicKey, (await mandate('public-key')).stdout);
    const today = localDayOf(new Date());
    const overHttp = await get(`/audit/export?from=${addDays(today, -3)}&to=${today}`);
    expect(overHttp.status).toBe(200);
    fs.writeFileSync(path.join(dir, 'http.json'), overHttp.text);
    const httpVerified = await mandate('verify-export', path.join(dir, 'http.json'), '--public-key', publicKey);
    expect(httpVerified.code).toBe(0);
    expect(json(httpVerified.stdout)).toMatchObject({
      ok: true,
      city: 'ha-noi',
      signature: { ok: true, pinned: true },
      anchors: { checked: anchors.length, notYetAnchored: [today] },
    });

    const file = path.join(dir, 'cli.json');
    const exported = await mandate('export', '--city', 'ha-noi', '--out', file);
    expect(exported.code).toBe(0);
    expect(json(exported.stdout)).toMatchObject({ file, city: 'ha-noi', anchors: anchors.length });
    expect((await mandate('verify-export', file, '--public-key', publicKey)).code).toBe(0);
    const text = fs.readFileSync(file, 'utf8');
    const at = text.indexOf('Theo chỉ đạo') + 1;
    fs.writeFileSync(file, `${text.slice(0, at)}X${text.slice(at + 1)}`);
    const changed = await mandate('verify-export', file, '--public-key', publicKey);
    expect(changed.code).toBe(1);
    expect(json(changed.stdout)).toMatchObject({ ok: false, signature: { ok: false, reason: 'the signature does not match the content' } });

    // A row altered in the database: named by the CLI and the API.
    const [victim] = (
      await sql.query(`SELECT event_id, stream_id, stream_version FROM plans.events WHERE stream_id = $1 AND stream_version = 1`, [`task-${task.id}`])
    ).rows;
    await tamper(`UPDATE plans.events SET data = jsonb_set(data, '{title}', '"Nhiệm vụ khác"') WHERE event_id = $1`, [victim.event_id]);
    const altered = await mandate('verify', '--city', 'ha-noi');
    expect(altered.code).toBe(1);
    expect(json(altered.stdout)).toMatchObject({
      ok: false,
      firstBroken: { streamId: victim.stream_id, version: 1, reason: expect.stringMatching(/^hash mismatch/) },
    });
    expect(JSON.parse((await get('/audit/verify')).text)).toMatchObject({ ok: false, firstBroken: { streamId: victim.stream_id, version: 1 } });

    // A whole stream deleted: no chain shows it, its day's anchor does.
    const [other] = (
      await sql.query(`SELECT stream_id FROM plans.events WHERE city_id = 'ha-noi' AND stream_id LIKE 'task-%' AND stream_id <> $1 LIMIT 1`, [
        `task-${task.id}`,
      ])
    ).rows;
    await tamper(`DELETE FROM plans.events WHERE stream_id = $1`, [other.stream_id]);
    const deleted = json((await mandate('verify', '--city', 'ha-noi')).stdout);
    const day = anchors.find((a) => a.day === deleted.anchors.firstBroken?.day);
    expect(deleted.anchors.firstBroken).toMatchObject({ expected: day?.root, reason: expect.stringMatching(/^root mismatch/) });
  });
});
