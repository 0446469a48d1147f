import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { ValidationError } from '@mandate/kernel';

/** Addresses no webhook may reach from the platform's network (SSRF): private, loopback, link-local, reserved. */
const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) blocked.addSubnet(network, prefix, 'ipv6');

const isBlocked = (address: string): boolean => {
  const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  // An IPv4 address written as IPv6 (::ffff:10.0.0.1) is judged as the IPv4 it is.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blocked.check(mapped[1], 'ipv4');
  return blocked.check(address, family);
};

/**
 * Checks a webhook URL: http(s) only, no credentials, and — unless the deployment allows private
 * targets — every address its host resolves to must be public. Called at registration and again
 * before each delivery, so a name that later resolves inward (DNS rebinding) is caught.
 */
export const checkWebhookTarget = async (url: string, allowPrivate: boolean): Promise<URL> => {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new ValidationError('url: not a URL', 'webhook-url-invalid');
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:') throw new ValidationError('url: http or https only', 'webhook-url-invalid');
  if (target.username || target.password) throw new ValidationError('url: no credentials in the URL; deliveries are signed', 'webhook-url-invalid');
  if (allowPrivate) return target;
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true }).catch(() => [])).map((a) => a.address);
  if (addresses.length === 0) throw new ValidationError(`url: ${host} does not resolve`, 'webhook-url-unresolvable');
  if (addresses.some(isBlocked)) throw new ValidationError(`url: ${host} is a private, loopback or reserved address`, 'webhook-url-private');
  return target;
};
