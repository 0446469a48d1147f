import jwt from 'jsonwebtoken';
import { signToken, verifyToken } from './auth';

const SECRET = 'unit-secret-unit-secret-unit-secret-unit';

describe('Bearer tokens', () => {
  it('carry the user, city, role and agency', () =>
    expect(verifyToken(SECRET, signToken(SECRET, { userId: 'u1', role: 'agency', agencyId: 'so-tu-phap', cityId: 'ha-noi' }))).toEqual({
      userId: 'u1',
      role: 'agency',
      agencyId: 'so-tu-phap',
      cityId: 'ha-noi',
    }));

  it('give the platform operator the platform and nothing else, and no city user the platform', () => {
    expect(verifyToken(SECRET, signToken(SECRET, { userId: 'ops', role: 'operator', agencyId: null, cityId: 'platform' }))).toMatchObject({ role: 'operator', cityId: 'platform' });
    expect(() => signToken(SECRET, { userId: 'ops', role: 'operator', agencyId: null, cityId: 'ha-noi' })).toThrow(/operator/);
    expect(() => signToken(SECRET, { userId: 'x', role: 'office', agencyId: null, cityId: 'platform' })).toThrow(/operator/);
    // Tokens minted elsewhere are held to the same rule.
    const minted = (claims: object) => jwt.sign(claims, SECRET, { algorithm: 'HS256', issuer: 'mandate', expiresIn: '5m' });
    expect(() => verifyToken(SECRET, minted({ sub: 'ops', city: 'ha-noi', role: 'operator' }))).toThrow(/operator/);
    expect(() => verifyToken(SECRET, minted({ sub: 'x', city: 'platform', role: 'office' }))).toThrow(/operator/);
  });

  it("name a unit's office with its unit, and refuse one without", () => {
    const unit = { userId: 'vp-blv', role: 'unit' as const, agencyId: 'ubnd-dac-khu-bach-long-vi', cityId: 'hai-phong' };
    expect(verifyToken(SECRET, signToken(SECRET, unit))).toEqual(unit);
    expect(() => signToken(SECRET, { ...unit, agencyId: null })).toThrow(/needs --agency/);
    const minted = jwt.sign({ sub: 'vp-blv', city: 'hai-phong', role: 'unit' }, SECRET, { algorithm: 'HS256', issuer: 'mandate', expiresIn: '5m' });
    expect(() => verifyToken(SECRET, minted)).toThrow(/names the unit/);
  });

  it('refuse a forged or altered token', () => {
    const token = signToken(SECRET, { userId: 'u1', role: 'office', agencyId: null, cityId: 'ha-noi' });
    expect(() => verifyToken('another-secret-another-secret-another-se', token)).toThrow(/not valid/);
    expect(() => verifyToken(SECRET, `${token.slice(0, -2)}xx`)).toThrow(/not valid/);
  });

  it('refuse a token that never expires, and `mandate token` never signs one', () => {
    const forever = jwt.sign({ sub: 'u1', city: 'ha-noi', role: 'office' }, SECRET, { algorithm: 'HS256', issuer: 'mandate' });
    expect(() => verifyToken(SECRET, forever)).toThrow(/no expiry/);
    const signed = jwt.decode(signToken(SECRET, { userId: 'u1', role: 'office', agencyId: null, cityId: 'ha-noi' })) as jwt.JwtPayload;
    expect(signed.exp! - signed.iat!).toBe(12 * 3600);
  });
});
