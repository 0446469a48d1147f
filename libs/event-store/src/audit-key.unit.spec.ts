import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AUDIT_KEY_FILE, auditSigningKeyOf, loadAuditSigningKey, publicKeyFingerprint } from './audit-key';

const pkcs8 = (type: 'ed25519' | 'ed448' = 'ed25519') =>
  generateKeyPairSync(type as 'ed25519')
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();

describe('the audit signing key', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mandate-key-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is generated once into the data directory, private to its owner, and read again after', () => {
    const first = loadAuditSigningKey({ dataDir: path.join(dir, 'data') });
    const again = loadAuditSigningKey({ dataDir: path.join(dir, 'data') });
    const file = path.join(dir, 'data', AUDIT_KEY_FILE);

    expect(again.fingerprint).toBe(first.fingerprint);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(path.join(dir, 'data'))).toEqual([AUDIT_KEY_FILE]);
    const signature = sign(null, Buffer.from('x'), first.privateKey);
    expect(verify(null, Buffer.from('x'), createPublicKey(again.publicKeyPem), signature)).toBe(true);
  });

  it('comes from MANDATE_AUDIT_SIGNING_KEY as PEM text (newlines written \\n too) or as a file', () => {
    const pem = pkcs8();
    const expected = auditSigningKeyOf(pem).fingerprint;
    const file = path.join(dir, 'key.pem');
    fs.writeFileSync(file, pem);

    expect(loadAuditSigningKey({ setting: pem, dataDir: dir }).fingerprint).toBe(expected);
    expect(loadAuditSigningKey({ setting: pem.replace(/\n/g, '\\n'), dataDir: dir }).fingerprint).toBe(expected);
    expect(loadAuditSigningKey({ setting: file, dataDir: dir }).fingerprint).toBe(expected);
    expect(fs.existsSync(path.join(dir, AUDIT_KEY_FILE))).toBe(false);
    expect(expected).toBe(publicKeyFingerprint(auditSigningKeyOf(pem).publicKeyPem));
  });

  it('refuses what is not an Ed25519 private key', () => {
    expect(() => loadAuditSigningKey({ setting: path.join(dir, 'missing.pem'), dataDir: dir })).toThrow('neither a PEM key nor an existing file');
    expect(() => auditSigningKeyOf(pkcs8('ed448'))).toThrow('must be Ed25519, not ed448');
    expect(() => auditSigningKeyOf('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----')).toThrow('not a PEM private key');
  });
});
