// `mandate privacy erase` against a running embedded platform's database.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { signToken } from '@mandate/http';
import { embeddedDeployment, TEST_ADDRESS_BOOK, TEST_SECRET } from './testing/deployments';

jest.setTimeout(120_000);
const ROOT = path.resolve(__dirname, '../../..');

describe('mandate privacy erase', () => {
  it("deletes the person's preferences and names what is left to do: the address book entry and the identity provider", async () => {
    const deployment = await embeddedDeployment();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mandate-privacy-'));
    try {
      const officer = await signToken(TEST_SECRET, { userId: 'nguyen-van-a', role: 'agency', agencyId: 'so-tu-phap', cityId: 'ha-noi' });
      const preferences = `${deployment.url()}/api/v1/notifications/preferences`;
      const quiet = { email: false, digestOnly: true, quietHours: { from: '22:00', to: '06:00' } };
      const put = await fetch(preferences, {
        method: 'PUT',
        headers: { authorization: `Bearer ${officer}`, 'content-type': 'application/json' },
        body: JSON.stringify(quiet),
      });
      expect(put.status).toBe(200);
      const contacts = path.join(dir, 'contacts.json');
      fs.writeFileSync(contacts, JSON.stringify(TEST_ADDRESS_BOOK));
      const run = () =>
        promisify(execFile)(process.execPath, [path.join(ROOT, 'bin/mandate.js'), 'privacy', 'erase', '--city', 'ha-noi', '--user', 'nguyen-van-a'], {
          cwd: ROOT,
          env: { ...process.env, DATABASE_URL: deployment.db.url, MANDATE_CONTACTS_FILE: contacts, LOG_LEVEL: 'silent' },
        });
      expect(JSON.parse((await run()).stdout)).toMatchObject({
        preferences: 'erased',
        addressBook: expect.stringContaining('still listed'),
        identityProvider: expect.stringContaining('nguyen-van-a'),
      });
      expect(await (await fetch(preferences, { headers: { authorization: `Bearer ${officer}` } })).json()).toEqual({
        email: true,
        digestOnly: false,
        quietHours: null,
      });
      expect(JSON.parse((await run()).stdout)).toMatchObject({ preferences: 'none kept' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await deployment.stop();
    }
  });
});
