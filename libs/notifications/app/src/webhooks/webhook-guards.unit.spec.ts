import { signatureOf, verifySignature } from './signature';
import { checkWebhookTarget } from './target-guard';

describe('Webhook signatures', () => {
  const secret = 'whsec_test';
  const body = '{"specversion":"1.0","id":"e1","type":"vn.mandate.task.status-changed.v2"}';

  it('sign "<t>.<raw body>" with HMAC-SHA256 and verify in constant time', () => {
    const header = signatureOf(secret, body, 1_764_000_000);
    expect(header).toMatch(/^t=1764000000,v1=[0-9a-f]{64}$/);
    expect(verifySignature(secret, header, body, 1_764_000_010)).toBe(true);
  });

  it('fail for another body, another secret, a forged or stale timestamp', () => {
    const header = signatureOf(secret, body, 1_764_000_000);
    expect(verifySignature(secret, header, body.replace('e1', 'e2'), 1_764_000_010)).toBe(false);
    expect(verifySignature('whsec_other', header, body, 1_764_000_010)).toBe(false);
    expect(verifySignature(secret, header.replace('t=1764000000', 't=1764000001'), body, 1_764_000_010)).toBe(false);
    expect(verifySignature(secret, header, body, 1_764_000_000 + 3600)).toBe(false);
    expect(verifySignature(secret, 'garbage', body, 1_764_000_010)).toBe(false);
  });
});

describe('Webhook targets (SSRF guard)', () => {
  it('refuse private, loopback, link-local and mapped addresses unless the deployment allows them', async () => {
    for (const url of ['http://127.0.0.1:8080/hook', 'http://10.1.2.3/', 'http://192.168.1.10/', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/', 'http://[::ffff:10.0.0.1]/', 'http://localhost:3000/']) {
      await expect(checkWebhookTarget(url, false)).rejects.toMatchObject({ code: 'webhook-url-private' });
      await expect(checkWebhookTarget(url, true)).resolves.toBeInstanceOf(URL);
    }
  });

  it('take a public address, and refuse other schemes and credentials', async () => {
    await expect(checkWebhookTarget('https://93.184.216.34/hooks/mandate', false)).resolves.toMatchObject({ hostname: '93.184.216.34' });
    await expect(checkWebhookTarget('ftp://93.184.216.34/', false)).rejects.toMatchObject({ code: 'webhook-url-invalid' });
    await expect(checkWebhookTarget('https://user:pass@93.184.216.34/', false)).rejects.toMatchObject({ code: 'webhook-url-invalid' });
    await expect(checkWebhookTarget('not a url', false)).rejects.toMatchObject({ code: 'webhook-url-invalid' });
    await expect(checkWebhookTarget('https://no-such-host.invalid/', false)).rejects.toMatchObject({ code: 'webhook-url-unresolvable' });
  });
});
