// OIDC access tokens verified against a real JWKS endpoint the test serves, as a provider (Keycloak) would.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { DEV_ISSUER, signToken } from './auth';
import { cities, type City } from '@mandate/runtime';
import { Authenticator, INTERNAL_ISSUER, internalTokens, servedCity, signInternalToken } from './identity';
import { listenTestApp } from './testing/test-app';

const SECRET = 'identity-spec-secret-identity-spec-secret';
const claims = { mandate_city: 'ha-noi', mandate_role: 'agency', mandate_agency: 'so-tu-phap' };
/** The cities this deployment serves, as the identity layer is told them. */
const knownCity = (cityId: string) => ['ha-noi', 'hai-phong'].includes(cityId);

describe('Authenticator', () => {
  let server: http.Server;
  let issuer: string;
  let key: KeyLike;
  let stranger: KeyLike;
  let jwksRequests = 0;
  let oidc: Authenticator;

  const accessToken = (
    options: { payload?: Record<string, unknown>; audience?: string; issuer?: string; expiresIn?: string | null; signWith?: KeyLike; kid?: string } = {},
  ) => {
    const token = new SignJWT({ ...claims, ...options.payload })
      .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'k1' })
      .setSubject('3f1c5a1e-user')
      .setIssuer(options.issuer ?? issuer)
      .setAudience(options.audience ?? 'mandate')
      .setIssuedAt();
    return (options.expiresIn === null ? token : token.setExpirationTime(options.expiresIn ?? '5m')).sign(options.signWith ?? key);
  };

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    key = pair.privateKey;
    stranger = (await generateKeyPair('RS256')).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    server = http.createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/realms/mandate/.well-known/openid-configuration')
        return res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/protocol/openid-connect/certs` }));
      if (req.url === '/realms/mandate/protocol/openid-connect/certs') return (jwksRequests++, res.end(JSON.stringify({ keys: [jwk] })));
      res.statusCode = 404;
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/realms/mandate`;
    oidc = new Authenticator({
      secret: SECRET,
      devTokens: false,
      knownCity,
      oidc: { issuer, audience: 'mandate', claims: { city: 'mandate_city', role: 'mandate_role', agency: 'mandate_agency' } },
    });
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it("accepts the provider's access token, its keys found through discovery and fetched once", async () => {
    expect(await oidc.authenticate(await accessToken())).toEqual({ userId: '3f1c5a1e-user', cityId: 'ha-noi', role: 'agency', agencyId: 'so-tu-phap' });
    await oidc.authenticate(await accessToken());
    expect(jwksRequests).toBe(1);
  });

  it.each([
    ['another audience', { audience: 'another-client' }, /aud/],
    ['an expired token', { expiresIn: '-1m' }, /exp/],
    ['a key the provider does not publish', { signWith: 'stranger' as const, kid: 'k1' }, /signature/],
    ['a token without a city', { payload: { mandate_city: undefined } }, /city, role or user id/],
    ['an unknown role', { payload: { mandate_role: 'mayor' } }, /city, role or user id/],
    ['an agency officer without an agency', { payload: { mandate_agency: undefined } }, /names the agency/],
    ['a token that never expires (no exp)', { expiresIn: null }, /exp/],
    ['a city the deployment does not serve', { payload: { mandate_city: 'atlantis' } }, /atlantis.*not served/],
  ] as [string, Record<string, unknown>, RegExp][])('refuses %s (401)', async (_, options, message) => {
    const token = await accessToken({ ...options, signWith: options.signWith === 'stranger' ? stranger : key } as never);
    await expect(oidc.authenticate(token)).rejects.toMatchObject({ status: 401, message: expect.stringMatching(message) });
  });

  it('refuses an issuer it does not trust, and dev tokens where they are off', async () => {
    await expect(oidc.authenticate(await accessToken({ issuer: 'https://evil.example/realms/mandate' }))).rejects.toMatchObject({
      status: 401,
      message: expect.stringMatching(/issuer/),
    });
    const dev = await signToken(SECRET, { userId: 'u', role: 'office', agencyId: null, cityId: 'ha-noi' });
    await expect(oidc.authenticate(dev)).rejects.toMatchObject({ status: 401, message: expect.stringMatching(/Dev tokens are refused/) });
    const devAllowed = new Authenticator({ secret: SECRET, devTokens: true, oidc: null, knownCity });
    expect(await devAllowed.authenticate(dev)).toMatchObject({ role: 'office', cityId: 'ha-noi' });
  });

  it("accepts the gateway's internal token only under the deployment's secret", async () => {
    const actor = { userId: 'apikey:0123', role: 'integrator' as const, cityId: 'ha-noi', agencyId: null };
    expect(await oidc.authenticate(await signInternalToken(SECRET, actor))).toEqual(actor);
    await expect(oidc.authenticate(await signInternalToken('another-secret-another-secret-another-secret', actor))).rejects.toMatchObject({ status: 401 });
  });

  it("reuses the gateway's internal token of a caller, and gives another caller its own", async () => {
    const tokenOf = internalTokens(SECRET);
    const actor = { userId: 'u-1', role: 'office' as const, agencyId: null, cityId: 'ha-noi' };
    const first = await tokenOf(actor);
    expect(await tokenOf({ ...actor })).toBe(first);
    expect(await tokenOf({ ...actor, userId: 'u-2' })).not.toBe(first);
    expect(await tokenOf({ ...actor, role: 'planning' })).not.toBe(first);
    expect(await oidc.authenticate(first)).toEqual(actor);
  });

  it('remembers a verified token only until it expires, and only that very token', async () => {
    const dev = new Authenticator({ secret: SECRET, devTokens: true, oidc: null, knownCity });
    const actor = { userId: 'u-short', role: 'office' as const, agencyId: null, cityId: 'ha-noi' };
    const token = await signToken(SECRET, actor, '2s');
    expect(await dev.authenticate(token)).toMatchObject(actor);
    expect(await dev.authenticate(token)).toMatchObject(actor); // from memory
    const [header, payload] = token.split('.');
    await expect(dev.authenticate(`${header}.${payload}.${'A'.repeat(43)}`)).rejects.toMatchObject({ status: 401 });
    await new Promise((r) => setTimeout(r, 2100));
    await expect(dev.authenticate(token)).rejects.toMatchObject({
      status: 401,
      message: expect.stringMatching(/not valid: "exp" claim timestamp check failed/),
    });
  });

  it('refuses an API key where none are kept, and anything that is neither a JWT nor a key', async () => {
    await expect(oidc.authenticate(`mk_${'a'.repeat(32)}_${'b'.repeat(43)}`)).rejects.toMatchObject({ status: 401 });
    await expect(oidc.authenticate('not-a-token')).rejects.toMatchObject({ status: 401, message: expect.stringMatching(/not a JWT/) });
  });

  describe("Mandate's own tokens (dev and internal), signed with the deployment's secret", () => {
    const dev = new Authenticator({ secret: SECRET, devTokens: true, oidc: null, knownCity });
    const atlantis = { userId: 'u', role: 'office' as const, cityId: 'atlantis', agencyId: null };
    /** A token minted outside signToken, HS256 under the deployment's secret; without exp unless given. */
    const mint = (issuer: string, claims: Record<string, unknown>, options: { expiresIn?: string } = {}) => {
      const token = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setIssuer(issuer);
      return (options.expiresIn === undefined ? token : token.setExpirationTime(options.expiresIn)).sign(new TextEncoder().encode(SECRET));
    };

    it.each([DEV_ISSUER, INTERNAL_ISSUER])('refuse a city the deployment does not serve (%s)', async (issuer) => {
      await expect(dev.authenticate(await mint(issuer, { sub: 'u', city: 'atlantis', role: 'office' }, { expiresIn: '5m' }))).rejects.toMatchObject({
        status: 401,
        message: expect.stringMatching(/atlantis.*not served/),
      });
      await expect(dev.authenticate(await (issuer === DEV_ISSUER ? signToken(SECRET, atlantis) : signInternalToken(SECRET, atlantis)))).rejects.toMatchObject({
        status: 401,
      });
    });

    it.each([DEV_ISSUER, INTERNAL_ISSUER])('refuse a token that never expires (%s)', async (issuer) => {
      await expect(dev.authenticate(await mint(issuer, { sub: 'u', city: 'ha-noi', role: 'office' }))).rejects.toMatchObject({
        status: 401,
        message: expect.stringMatching(/no expiry \(exp\)/),
      });
      // The same token with an expiry is accepted: the refusal above is the missing exp's.
      expect(await dev.authenticate(await mint(issuer, { sub: 'u', city: 'ha-noi', role: 'office' }, { expiresIn: '5m' }))).toMatchObject({ cityId: 'ha-noi' });
    });

    it("accept the operator's pseudo-city, which no city list holds", async () => {
      const operator = { userId: 'ops', role: 'operator' as const, cityId: 'platform', agencyId: null };
      expect(await dev.authenticate(await signToken(SECRET, operator))).toEqual(operator);
      expect(await dev.authenticate(await signInternalToken(SECRET, operator))).toEqual(operator);
    });

    it('refuse a suspended city with 403 at once, even for a token verified and remembered before', async () => {
      let suspended = false;
      const served = new Authenticator({
        secret: SECRET,
        devTokens: true,
        oidc: null,
        knownCity: (cityId) => (cityId === 'ha-noi' ? (suspended ? 'suspended' : true) : false),
      });
      const token = await signToken(SECRET, { userId: 'u', role: 'office', cityId: 'ha-noi', agencyId: null });
      expect((await served.authenticate(token)).cityId).toBe('ha-noi');
      suspended = true;
      await expect(served.authenticate(token)).rejects.toMatchObject({
        status: 403,
        code: 'city-suspended',
        message: expect.stringMatching(/ha-noi.*suspended/),
      });
      suspended = false;
      expect((await served.authenticate(token)).cityId).toBe('ha-noi');
    });

    it("refuse an API key's actor whose city is not served (a key outliving its city)", async () => {
      const keys = new Authenticator({ secret: SECRET, devTokens: true, oidc: null, knownCity, apiKeys: async () => ({ ...atlantis, role: 'integrator' }) });
      await expect(keys.authenticate(`mk_${'a'.repeat(32)}_${'b'.repeat(43)}`)).rejects.toMatchObject({ status: 401 });
    });
  });
});

describe('The client address API-key limits are keyed on', () => {
  const seen: string[] = [];
  const start = async (trustProxy?: string | boolean) => {
    const { app } = await listenTestApp({
      jwtSecret: SECRET,
      identity: { devTokens: false, oidc: null, apiKeys: async (_key, client) => (seen.push(client), null) },
      trustProxy,
    });
    return app;
  };
  const call = async (app: INestApplication) =>
    fetch(`${await app.getUrl()}/api/v1/session`, {
      headers: { authorization: `Bearer mk_${'a'.repeat(32)}_${'b'.repeat(43)}`, 'x-forwarded-for': '203.0.113.9' },
    });

  it('is the peer by default: a client cannot pick its own with X-Forwarded-For', async () => {
    const app = await start();
    try {
      seen.length = 0;
      expect((await call(app)).status).toBe(401);
      expect(seen).toEqual([expect.stringMatching(/127\.0\.0\.1$/)]);
    } finally {
      await app.close();
    }
  });

  it('is the client a trusted proxy forwarded for (MANDATE_TRUST_PROXY)', async () => {
    const app = await start('loopback');
    try {
      seen.length = 0;
      expect((await call(app)).status).toBe(401);
      expect(seen).toEqual(['203.0.113.9']);
    } finally {
      await app.close();
    }
  });
});

describe('Identity providers per city', () => {
  /** An OIDC provider of its own: a key pair and the JWKS endpoint it publishes (no discovery: jwksUrl is given). */
  const provider = async (realm: string) => {
    const pair = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: `${realm}-k1`, alg: 'RS256', use: 'sig' };
    const server = http.createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === `/realms/${realm}/certs`) return res.end(JSON.stringify({ keys: [jwk] }));
      res.statusCode = 404;
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/realms/${realm}`;
    const sign = (payload: Record<string, unknown>, options: { audience?: string; issuer?: string; key?: KeyLike } = {}) =>
      new SignJWT(payload)
        .setProtectedHeader({ alg: 'RS256', kid: `${realm}-k1` })
        .setSubject(`${realm}-user`)
        .setIssuer(options.issuer ?? base)
        .setAudience(options.audience ?? 'mandate')
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(options.key ?? pair.privateKey);
    return { issuer: base, jwksUrl: `${base}/certs`, key: pair.privateKey, sign, close: () => new Promise((resolve) => server.close(resolve)) };
  };
  type Provider = Awaited<ReturnType<typeof provider>>;
  const city = (id: string, identityProvider: City['identityProvider'], version: bigint) =>
    cities.apply({ id, name: id, level: 'province', timeZone: 'Asia/Ho_Chi_Minh', dueSoonDays: 3, reporting: {}, status: 'active', identityProvider }, version);
  const claimsOf = { city: 'tinh', role: 'vai_tro', agency: 'don_vi' };

  let national: Provider;
  let quangNinh: Provider;
  let auth: Authenticator;
  beforeAll(async () => {
    [national, quangNinh] = await Promise.all([provider('national'), provider('quang-ninh')]);
    city('ha-noi', null, 1n);
    city('quang-ninh', { issuer: quangNinh.issuer, audience: 'mandate', jwksUrl: quangNinh.jwksUrl, claims: claimsOf }, 1n);
    // The deployment's own provider speaks for every city and the operator; the province's for its own city.
    auth = new Authenticator({
      secret: SECRET,
      devTokens: false,
      knownCity: servedCity,
      oidc: {
        issuer: national.issuer,
        audience: 'mandate',
        jwksUrl: national.jwksUrl,
        claims: { city: 'mandate_city', role: 'mandate_role', agency: 'mandate_agency' },
      },
    });
  });
  afterAll(async () => {
    await Promise.all([national.close(), quangNinh.close()]);
    cities.clear();
  });

  it("accepts a province's own provider for its city, with that provider's claim names", async () => {
    expect(await auth.authenticate(await quangNinh.sign({ tinh: 'quang-ninh', vai_tro: 'office' }))).toEqual({
      userId: 'quang-ninh-user',
      cityId: 'quang-ninh',
      role: 'office',
      agencyId: null,
    });
  });

  it('refuses a province’s provider speaking for another city or for the platform', async () => {
    await expect(auth.authenticate(await quangNinh.sign({ tinh: 'ha-noi', vai_tro: 'office' }))).rejects.toMatchObject({
      status: 401,
      message: expect.stringMatching(/does not speak for the city "ha-noi"/),
    });
    await expect(auth.authenticate(await quangNinh.sign({ tinh: 'platform', vai_tro: 'operator' }))).rejects.toMatchObject({
      status: 401,
      message: expect.stringMatching(/does not speak for the city "platform"/),
    });
  });

  it("refuses a token naming the province's issuer but signed with another provider's key, or for another client", async () => {
    await expect(auth.authenticate(await quangNinh.sign({ tinh: 'quang-ninh', vai_tro: 'office' }, { key: national.key }))).rejects.toMatchObject({
      status: 401,
      message: expect.stringMatching(/signature/),
    });
    await expect(auth.authenticate(await quangNinh.sign({ tinh: 'quang-ninh', vai_tro: 'office' }, { audience: 'another-client' }))).rejects.toMatchObject({
      status: 401,
      message: expect.stringMatching(/aud/),
    });
  });

  it("keeps the deployment's provider for every city and for the operator", async () => {
    expect((await auth.authenticate(await national.sign({ mandate_city: 'quang-ninh', mandate_role: 'leader' }))).cityId).toBe('quang-ninh');
    expect((await auth.authenticate(await national.sign({ mandate_city: 'platform', mandate_role: 'operator' }))).role).toBe('operator');
  });

  it('follows the operator: a provider named later is trusted, one taken away is not, several cities may share one', async () => {
    const token = await quangNinh.sign({ tinh: 'ha-noi', vai_tro: 'agency', don_vi: 'so-tu-phap' }, { audience: 'mandate-hanoi' });
    await expect(auth.authenticate(token)).rejects.toMatchObject({ status: 401 });
    city('ha-noi', { issuer: quangNinh.issuer, audience: 'mandate-hanoi', jwksUrl: quangNinh.jwksUrl, claims: claimsOf }, 2n);
    expect(await auth.authenticate(token)).toEqual({ userId: 'quang-ninh-user', cityId: 'ha-noi', role: 'agency', agencyId: 'so-tu-phap' });
    city('ha-noi', null, 3n);
    city('quang-ninh', null, 2n);
    await expect(auth.authenticate(await quangNinh.sign({ tinh: 'quang-ninh', vai_tro: 'office' }))).rejects.toMatchObject({
      status: 401,
      message: expect.stringMatching(/issuer this deployment does not trust/),
    });
  });
});
