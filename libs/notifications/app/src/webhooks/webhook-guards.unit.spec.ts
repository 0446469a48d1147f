import { signatureOf, verifySignature } from './signature';
import { checkWebhookTarget, isPublicAddress, pinnedLookup, resolveWebhookTarget } from './target-guard';

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
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://10.1.2.3/',
      'http://192.168.1.10/',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/',
      'http://[::ffff:10.0.0.1]/',
      'http://localhost:3000/',
    ]) {
      await expect(checkWebhookTarget(url, false)).rejects.toMatchObject({ code: 'webhook-url-private' });
      await expect(checkWebhookTarget(url, true)).resolves.toBeInstanceOf(URL);
    }
  });

  it.each([
    ['IPv4-compatible loopback', 'http://[::127.0.0.1]/'],
    ['IPv4-compatible, public', 'http://[::93.184.216.34]/'],
    ['NAT64 of loopback', 'http://[64:ff9b::7f00:1]/'],
    ['NAT64 of a private address, dotted', 'http://[64:ff9b::10.0.0.1]/'],
    ['local-use NAT64', 'http://[64:ff9b:1::5db8:d822]/'],
    ['site-local', 'http://[fec0::1]/'],
    ['unique-local', 'http://[fd12:3456::1]/'],
    ['link-local IPv6', 'http://[fe80::1]/'],
    ['IPv4-mapped loopback', 'http://[::ffff:127.0.0.1]/'],
    ['IPv4-translated (RFC 6145) private', 'http://[::ffff:0:a00:1]/'],
    ['6to4 of a private address', 'http://[2002:a00:1::1]/'],
    ['6to4 of loopback', 'http://[2002:7f00:1::]/'],
    ['Teredo whose client is loopback', 'http://[2001:0:5db8:d822:0:0:80ff:fffe]/'],
    ['unspecified IPv6', 'http://[::]/'],
    ['unspecified IPv4', 'http://0.0.0.0/'],
    ['"this network"', 'http://0.1.2.3/'],
    ['multicast IPv6', 'http://[ff02::1]/'],
    ['multicast IPv4', 'http://224.0.0.1/'],
    ['CGNAT', 'http://100.64.0.1/'],
    ['broadcast', 'http://255.255.255.255/'],
    ['benchmarking', 'http://198.18.0.1/'],
    ['documentation IPv4', 'http://192.0.2.1/'],
    ['documentation IPv6', 'http://[2001:db8::1]/'],
    ['discard-only IPv6', 'http://[100::1]/'],
    ['private, written in hex', 'http://0xa000001/'],
    ['loopback, shortened', 'http://127.1/'],
  ])('refuse %s (%s)', async (_name, url) => {
    await expect(checkWebhookTarget(url, false)).rejects.toMatchObject({ code: 'webhook-url-private' });
  });

  it.each([
    ['public IPv4', '93.184.216.34'],
    ['public IPv6', '2606:2800:220:1:248:1893:25c8:1946'],
    ['NAT64 of a public address', '64:ff9b::5db8:d822'],
    ['IPv4-mapped public', '::ffff:93.184.216.34'],
    ['6to4 of a public address', '2002:5db8:d822::1'],
  ])('take %s (%s)', (_name, address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it('refuse a host name any of whose addresses is not public', async () => {
    const resolve = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: 'fec0::1', family: 6 },
    ];
    await expect(checkWebhookTarget('https://hooks.example/', false, resolve)).rejects.toMatchObject({ code: 'webhook-url-private' });
  });

  it('connect to the addresses checked: a name that answers a public address and then loopback (DNS rebinding) is never asked again', async () => {
    const answers = [[{ address: '93.184.216.34', family: 4 }], [{ address: '127.0.0.1', family: 4 }]];
    const resolve = jest.fn(async () => answers.shift() ?? [{ address: '127.0.0.1', family: 4 }]);
    const target = await resolveWebhookTarget('https://hooks.example/x', { allowPrivate: false, resolve });
    const lookup = pinnedLookup(target);
    const viaAll = await new Promise((resolved) => lookup('hooks.example', { all: true }, (_e, addresses) => resolved(addresses)));
    const viaOne = await new Promise((resolved) => lookup('hooks.example', {}, (_e, address) => resolved(address)));
    expect(viaAll).toEqual([{ address: '93.184.216.34', family: 4 }]);
    expect(viaOne).toBe('93.184.216.34');
    expect(resolve).toHaveBeenCalledTimes(1);
    // The next delivery resolves afresh, and is refused.
    await expect(resolveWebhookTarget('https://hooks.example/x', { allowPrivate: false, resolve })).rejects.toMatchObject({ code: 'webhook-url-private' });
  });

  it('take a public address, and refuse other schemes and credentials', async () => {
    await expect(checkWebhookTarget('https://93.184.216.34/hooks/mandate', false)).resolves.toMatchObject({ hostname: '93.184.216.34' });
    await expect(checkWebhookTarget('ftp://93.184.216.34/', false)).rejects.toMatchObject({ code: 'webhook-url-invalid' });
    await expect(checkWebhookTarget('https://user:pass@93.184.216.34/', false)).rejects.toMatchObject({ code: 'webhook-url-invalid' });
    await expect(checkWebhookTarget('not a url', false)).rejects.toMatchObject({ code: 'webhook-url-invalid' });
    await expect(checkWebhookTarget('https://no-such-host.invalid/', false)).rejects.toMatchObject({ code: 'webhook-url-unresolvable' });
  });
});
