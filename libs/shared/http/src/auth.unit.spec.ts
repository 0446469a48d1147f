import { base64url, decodeJwt, SignJWT, type JWTPayload } from 'jose';
import { signToken, verifyToken } from './auth';

const SECRET = 'unit-secret-unit-secret-unit-secret-unit';

/** A token minted elsewhere under the same secret: HS256, issuer `mandate` and 5 minutes unless told otherwise (`expiresIn: null`: no exp). */
const mint = (claims: JWTPayload, options: { alg?: string; issuer?: string; expiresIn?: string | null } = {}) => {
  const token = new SignJWT(claims)
    .setProtectedHeader({ alg: options.alg ?? 'HS256' })
    .setIssuedAt()
    .setIssuer(options.issuer ?? 'mandate');
  return (options.expiresIn === null ? token : token.setExpirationTime(options.expiresIn ?? '5m')).sign(new TextEncoder().encode(SECRET));
};

const office = { userId: 'u1', role: 'office' as const, agencyId: null, cityId: 'ha-noi' };
const notValid = (detail: RegExp) => ({ status: 401, code: 'invalid-token', message: expect.stringMatching(detail) });

describe('Bearer tokens', () => {
  it('carry the user, city, role and agency', async () =>
    expect(await verifyToken(SECRET, await signToken(SECRET, { userId: 'u1', role: 'agency', agencyId: 'so-tu-phap', cityId: 'ha-noi' }))).toEqual({
      userId: 'u1',
      role: 'agency',
      agencyId: 'so-tu-phap',
      cityId: 'ha-noi',
    }));

  it('give the platform operator the platform and nothing else, and no city user the platform', async () => {
    expect(await verifyToken(SECRET, await signToken(SECRET, { userId: 'ops', role: 'operator', agencyId: null, cityId: 'platform' }))).toMatchObject({
      role: 'operator',
      cityId: 'platform',
    });
    await expect(signToken(SECRET, { userId: 'ops', role: 'operator', agencyId: null, cityId: 'ha-noi' })).rejects.toThrow(/operator/);
    await expect(signToken(SECRET, { userId: 'x', role: 'office', agencyId: null, cityId: 'platform' })).rejects.toThrow(/operator/);
    // Tokens minted elsewhere are held to the same rule.
    await expect(verifyToken(SECRET, await mint({ sub: 'ops', city: 'ha-noi', role: 'operator' }))).rejects.toThrow(/operator/);
    await expect(verifyToken(SECRET, await mint({ sub: 'x', city: 'platform', role: 'office' }))).rejects.toThrow(/operator/);
  });

  it("name a unit's office with its unit, and refuse one without", async () => {
    const unit = { userId: 'vp-blv', role: 'unit' as const, agencyId: 'ubnd-dac-khu-bach-long-vi', cityId: 'hai-phong' };
    expect(await verifyToken(SECRET, await signToken(SECRET, unit))).toEqual(unit);
    await expect(signToken(SECRET, { ...unit, agencyId: null })).rejects.toThrow(/needs --agency/);
    await expect(verifyToken(SECRET, await mint({ sub: 'vp-blv', city: 'hai-phong', role: 'unit' }))).rejects.toThrow(/names the unit/);
  });

  it('refuse a forged or altered token', async () => {
    const token = await signToken(SECRET, office);
    await expect(verifyToken('another-secret-another-secret-another-se', token)).rejects.toMatchObject(notValid(/^The bearer token is not valid: /));
    await expect(verifyToken(SECRET, `${token.slice(0, -2)}xx`)).rejects.toMatchObject(notValid(/^The bearer token is not valid: /));
    await expect(verifyToken(SECRET, 'not-a-token')).rejects.toMatchObject(notValid(/^The bearer token is not valid: /));
  });

  it('refuse any algorithm but HS256, an unsigned token too', async () => {
    const claims = { sub: 'u1', city: 'ha-noi', role: 'office' };
    expect(await verifyToken(SECRET, await mint(claims))).toMatchObject({ userId: 'u1' });
    await expect(verifyToken(SECRET, await mint(claims, { alg: 'HS512' }))).rejects.toMatchObject(notValid(/not valid: .*alg/));
    const [, payload] = (await mint(claims)).split('.');
    const unsigned = `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${payload}.`;
    await expect(verifyToken(SECRET, unsigned)).rejects.toMatchObject(notValid(/not valid: .*alg/));
  });

  it('refuse an expired token, and one of another issuer than the one asked for', async () => {
    await expect(verifyToken(SECRET, await mint({ sub: 'u1', city: 'ha-noi', role: 'office' }, { expiresIn: '-1m' }))).rejects.toMatchObject(
      notValid(/not valid: .*exp/),
    );
    await expect(verifyToken(SECRET, await signToken(SECRET, office, -60))).rejects.toMatchObject(notValid(/not valid: .*exp/));
    const internal = await signToken(SECRET, office, 120, 'mandate-internal');
    await expect(verifyToken(SECRET, internal)).rejects.toMatchObject(notValid(/not valid: .*iss/));
    expect(await verifyToken(SECRET, internal, 'mandate-internal')).toEqual(office);
    await expect(verifyToken(SECRET, await mint({ sub: 'u1', city: 'ha-noi', role: 'office' }, { issuer: 'mandate-internal' }))).rejects.toMatchObject(
      notValid(/not valid: .*iss/),
    );
  });

  it('refuse a token that never expires, and `mandate token` never signs one', async () => {
    const forever = await mint({ sub: 'u1', city: 'ha-noi', role: 'office' }, { expiresIn: null });
    await expect(verifyToken(SECRET, forever)).rejects.toMatchObject(notValid(/^The bearer token has no expiry \(exp\)$/));
    const signed = decodeJwt(await signToken(SECRET, office));
    expect(signed.exp! - signed.iat!).toBe(12 * 3600);
  });

  it.each([
    [120, 120],
    [0, 0],
    ['30s', 30],
    ['5m', 300],
    ['12h', 12 * 3600],
    ['30d', 30 * 86_400],
  ] as const)('live as long as asked: %j is %i s', async (expiresIn, seconds) => {
    const signed = decodeJwt(await signToken(SECRET, office, expiresIn));
    expect(signed.exp! - signed.iat!).toBe(seconds);
    expect(Math.abs(signed.iat! - Date.now() / 1000)).toBeLessThan(2);
  });

  it.each(['soon', '', '12', 1.5, Number.NaN])('refuse the lifetime %p', async (expiresIn) => {
    await expect(signToken(SECRET, office, expiresIn)).rejects.toThrow(/"expiresIn" should be a number of seconds or string representing a timespan/);
  });
});
