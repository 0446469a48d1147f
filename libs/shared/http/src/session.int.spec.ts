import type { INestApplication } from '@nestjs/common';
import { verifyToken } from './auth';
import { listenTestApp, serveSeedCities } from './testing/test-app';

const SECRET = 'session-secret-session-secret-session-0123';

const start = (identity: { devTokens: boolean; oidc: null | { issuer: string; audience: string; claims: { city: string; role: string; agency: string } } }) =>
  listenTestApp({ jwtSecret: SECRET, identity });

const post = (url: string, body: unknown) =>
  fetch(`${url}/api/v1/session/dev-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

beforeAll(serveSeedCities);

describe('Signing in to the web app', () => {
  describe('where dev tokens are on (the embedded default)', () => {
    let app: INestApplication;
    let url: string;
    beforeAll(async () => ({ app, url } = await start({ devTokens: true, oidc: null })));
    afterAll(() => app.close());

    it('offers the cities with their agencies and leaders to pick from', async () => {
      const info = (await (await fetch(`${url}/api/v1/session`)).json()) as {
        devTokens: boolean;
        oidc: unknown;
        cities: { id: string; agencies: { id: string }[]; leaders: string[] }[];
      };
      expect(info).toMatchObject({ devTokens: true, oidc: null });
      const haNoi = info.cities.find((c) => c.id === 'ha-noi')!;
      expect(haNoi.agencies.map((a) => a.id)).toContain('so-tu-phap');
      expect(haNoi.leaders.length).toBeGreaterThan(0);
    });

    it('signs a dev token for the picked city, role and agency, under the deployment secret', async () => {
      const response = await post(url, { cityId: 'ha-noi', role: 'agency', agencyId: 'so-tu-phap' });
      expect(response.status).toBe(200);
      const { token } = (await response.json()) as { token: string };
      expect(await verifyToken(SECRET, token)).toEqual({ userId: 'agency-so-tu-phap', role: 'agency', cityId: 'ha-noi', agencyId: 'so-tu-phap' });
    });

    it('refuses an unknown city, an agency officer without an agency, and a malformed body', async () => {
      expect((await post(url, { cityId: 'atlantis', role: 'office' })).status).toBe(404);
      expect((await post(url, { cityId: 'ha-noi', role: 'agency' })).status).toBe(400);
      expect((await post(url, { cityId: 'ha-noi', role: 'mayor' })).status).toBe(400);
      const malformed = await fetch(`${url}/api/v1/session/dev-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"cityId":' });
      expect(malformed.status).toBe(400);
    });
  });

  describe('where only an identity provider signs people in (production)', () => {
    let app: INestApplication;
    let url: string;
    beforeAll(
      async () =>
        ({ app, url } = await start({
          devTokens: false,
          oidc: { issuer: 'https://id.example.test/realms/mandate', audience: 'mandate-web', claims: { city: 'c', role: 'r', agency: 'a' } },
        })),
    );
    afterAll(() => app.close());

    it('names the provider and the client, and lists no directory', async () => {
      const info = await (await fetch(`${url}/api/v1/session`)).json();
      expect(info).toMatchObject({ devTokens: false, oidc: { issuer: 'https://id.example.test/realms/mandate', clientId: 'mandate-web' }, cities: [] });
    });

    it('signs no token', async () => {
      expect((await post(url, { cityId: 'ha-noi', role: 'office' })).status).toBe(404);
    });

    it('lets the browser reach the provider (CSP connect-src) and nowhere else', async () => {
      const csp = (await fetch(`${url}/health`)).headers.get('content-security-policy') ?? '';
      expect(csp).toMatch(/connect-src 'self' https:\/\/id\.example\.test(;|$)/);
    });
  });
});
