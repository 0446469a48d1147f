import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import * as fs from 'node:fs';
import { privateFile } from '@mandate/runtime';

/** The deployment's Ed25519 key pair that signs audit exports. */
export type AuditSigningKey = { privateKey: KeyObject; publicKeyPem: string; fingerprint: string };

export const AUDIT_KEY_FILE = 'audit-signing-key.pem';

/** SHA-256 of the public key's SPKI DER, hex: what a person compares with the key they were given. */
export const publicKeyFingerprint = (publicKey: KeyObject | string): string =>
  createHash('sha256')
    .update((typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey).export({ type: 'spki', format: 'der' }))
    .digest('hex');

/** A PKCS8 PEM private key, checked to be Ed25519. */
export const auditSigningKeyOf = (pkcs8Pem: string): AuditSigningKey => {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: pkcs8Pem, format: 'pem' });
  } catch (error) {
    throw new Error(`The audit signing key is not a PEM private key: ${(error as Error).message}`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(`The audit signing key must be Ed25519, not ${privateKey.asymmetricKeyType ?? 'a symmetric key'}`);
  }
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), fingerprint: publicKeyFingerprint(publicKey) };
};

/**
 * The signing key from `MANDATE_AUDIT_SIGNING_KEY`: the PKCS8 PEM text itself (newlines may be written
 * `\n`, as env files do) or the path of a file holding it. Unset: a key generated once into the data
 * directory (`audit-signing-key.pem`, mode 0600), as the dev token secret is, so development and
 * embedded deployments sign with the same key across restarts.
 */
export const loadAuditSigningKey = (options: { setting?: string; dataDir: string }): AuditSigningKey => {
  const setting = options.setting?.trim();
  if (setting) {
    if (setting.startsWith('-----BEGIN')) return auditSigningKeyOf(setting.replace(/\\n/g, '\n'));
    if (!fs.existsSync(setting)) throw new Error(`MANDATE_AUDIT_SIGNING_KEY is neither a PEM key nor an existing file: ${setting}`);
    return auditSigningKeyOf(fs.readFileSync(setting, 'utf8'));
  }
  return auditSigningKeyOf(
    privateFile(options.dataDir, AUDIT_KEY_FILE, () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' })),
  );
};
