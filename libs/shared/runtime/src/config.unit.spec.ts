import * as path from 'node:path';
import { ConfigError, loadConfig } from './config';

describe('Configuration', () => {
  it('has defaults that run the embedded platform', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, HOST: '127.0.0.1', MANDATE_SEED: true, NODE_ENV: 'development' });
    expect(config.dataDir).toBe(path.resolve('.data'));
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('trusts no proxy unless told which (MANDATE_TRUST_PROXY: true, a hop count, or addresses)', () => {
    expect(loadConfig({}).MANDATE_TRUST_PROXY).toBe(false);
    expect(loadConfig({ MANDATE_TRUST_PROXY: 'true' }).MANDATE_TRUST_PROXY).toBe(true);
    expect(loadConfig({ MANDATE_TRUST_PROXY: '1' }).MANDATE_TRUST_PROXY).toBe(1);
    expect(loadConfig({ MANDATE_TRUST_PROXY: 'loopback, 10.0.0.0/8' }).MANDATE_TRUST_PROXY).toBe('loopback, 10.0.0.0/8');
  });

  it('treats an empty variable as unset', () => expect(loadConfig({ MANDATE_JWT_SECRET: '', PORT: '' }).PORT).toBe(3000));

  it('names every invalid setting in one message', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'not a url', MANDATE_SEED: 'maybe' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'not a url', MANDATE_SEED: 'maybe' });
    } catch (error) {
      expect((error as Error).message).toMatch(/PORT/);
      expect((error as Error).message).toMatch(/DATABASE_URL/);
      expect((error as Error).message).toMatch(/MANDATE_SEED/);
    }
  });

  it('requires a real signing key in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/MANDATE_JWT_SECRET: is required in production/);
    expect(() => loadConfig({ NODE_ENV: 'production', MANDATE_JWT_SECRET: 'short' })).toThrow(/at least 32/);
  });
});
