import { randomBytes } from 'node:crypto';
import { loadAuditSigningKey, type AuditSigningKey } from '@mandate/event-store';
import { privateFile, type Config } from '@mandate/runtime';

/**
 * The token signing key: MANDATE_JWT_SECRET when set (required in production); otherwise a key
 * generated once into the data directory, so dev tokens survive restarts.
 */
export const jwtSecret = (config: Config): string => {
  if (config.MANDATE_JWT_SECRET) return config.MANDATE_JWT_SECRET;
  return privateFile(config.dataDir, 'jwt-secret', () => randomBytes(48).toString('base64url')).trim();
};

/**
 * The Ed25519 key that signs audit exports: MANDATE_AUDIT_SIGNING_KEY (PKCS8 PEM, or a file holding
 * it) when set; otherwise a key generated once into the data directory (`audit-signing-key.pem`).
 */
export const auditSigningKey = (config: Config): AuditSigningKey => loadAuditSigningKey({ setting: config.MANDATE_AUDIT_SIGNING_KEY, dataDir: config.dataDir });
