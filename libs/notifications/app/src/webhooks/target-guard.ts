import { lookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { ValidationError } from '@mandate/kernel';

type IPv4 = ipaddr.IPv4;
type IPv6 = ipaddr.IPv6;

/** Answers a host name with every address it has (the system resolver in production; a stub in tests). */
export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;
export const systemResolver: Resolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

/** A webhook URL and the addresses it was checked at: a delivery connects to these and no others. */
export type WebhookTarget = { url: URL; addresses: { address: string; family: 4 | 6 }[] };

const cidr = (text: string) => ipaddr.IPv6.parseCIDR(text);
/** Not reachable on the public internet, beyond what ipaddr.js's ranges name (benchmarking). */
const refusedV4 = [ipaddr.IPv4.parseCIDR('198.18.0.0/15')];
/** Global unicast: the only IPv6 space a webhook may reach (drops site-local fec0::/10, unique-local, and the rest). */
const globalUnicast = cidr('2000::/3');
const refusedV6 = [
  cidr('2001::/23'), // IETF protocol assignments (Teredo, 2001::/32, is judged by the addresses it embeds)
  cidr('3fff::/20'), // documentation (RFC 9637); 2001:db8::/32 is ipaddr.js's 'reserved'
];
const ipv4Compatible = cidr('::/96'); // ::a.b.c.d, deprecated (RFC 4291); also :: and ::1
const localNat64 = cidr('64:ff9b:1::/48'); // local-use NAT64 (RFC 8215): translates into the operator's network
const teredo = cidr('2001::/32');
const sixToFour = cidr('2002::/16');
const embedsLast32 = new Set(['ipv4Mapped', 'rfc6145', 'rfc6052']); // ::ffff:a.b.c.d, ::ffff:0:a.b.c.d, 64:ff9b::a.b.c.d

const v4 = (high: number, low: number): IPv4 => new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
const isPublicV4 = (address: IPv4): boolean => address.range() === 'unicast' && !refusedV4.some((range) => address.match(range));

/** The IPv4 addresses an IPv6 address carries to the IPv4 internet (translation and tunnels), if it is such one. */
const embeddedV4 = (address: IPv6): IPv4[] | null => {
  const p = address.parts;
  if (embedsLast32.has(address.range())) return [v4(p[6], p[7])];
  if (address.match(sixToFour)) return [v4(p[1], p[2])];
  // Teredo: the server's address, and the client's with every bit inverted.
  if (address.match(teredo)) return [v4(p[2], p[3]), v4(~p[6] & 0xffff, ~p[7] & 0xffff)];
  return null;
};

const parse = (text: string): IPv4 | IPv6 | null => {
  const bare = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 4) return ipaddr.IPv4.parse(bare);
  if (family !== 6) return null;
  // ipaddr.js 1.9 cannot read an IPv4 tail after a bare '::' (::127.0.0.1); the URL parser writes every IPv6 form in hex.
  return ipaddr.IPv6.parse(new URL(`http://[${bare}]/`).hostname.slice(1, -1));
};

/**
 * Whether a webhook may reach this address from the platform's network (SSRF): public unicast only.
 * Refused: loopback, private, link-local, unique- and site-local, CGNAT, unspecified, broadcast,
 * multicast, documentation and other reserved ranges, IPv4-compatible IPv6 and local-use NAT64; an
 * IPv6 address that carries an IPv4 one (mapped, NAT64, 6to4, Teredo) is judged by what it carries.
 */
export const isPublicAddress = (text: string): boolean => {
  const address = parse(text);
  if (!address) return false;
  if (address.kind() === 'ipv4') return isPublicV4(address as IPv4);
  const v6 = address as IPv6;
  const carried = embeddedV4(v6);
  if (carried) return carried.every(isPublicV4);
  if (v6.match(ipv4Compatible) || v6.match(localNat64)) return false;
  return v6.match(globalUnicast) && v6.range() === 'unicast' && !refusedV6.some((range) => v6.match(range));
};

/**
 * Checks a webhook URL and resolves its host once: http(s) only, no credentials, and — unless the
 * deployment allows private targets — every address the host resolves to must be public. Called at
 * registration and again before each delivery, which then connects to exactly the addresses checked
 * here (`pinnedLookup`): a name that answers a public address to the check and an inner one to the
 * connection (DNS rebinding) never reaches the inner one.
 */
export const resolveWebhookTarget = async (url: string, options: { allowPrivate: boolean; resolve?: Resolver }): Promise<WebhookTarget> => {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new ValidationError('url: not a URL', 'webhook-url-invalid');
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:') throw new ValidationError('url: http or https only', 'webhook-url-invalid');
  if (target.username || target.password) throw new ValidationError('url: no credentials in the URL; deliveries are signed', 'webhook-url-invalid');
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const literal = isIP(host);
  const answers = literal ? [{ address: host, family: literal }] : await (options.resolve ?? systemResolver)(host).catch(() => []);
  const addresses = answers.filter((a) => isIP(a.address) !== 0).map((a) => ({ address: a.address, family: isIP(a.address) as 4 | 6 }));
  if (addresses.length === 0) throw new ValidationError(`url: ${host} does not resolve`, 'webhook-url-unresolvable');
  if (!options.allowPrivate && !addresses.every((a) => isPublicAddress(a.address))) {
    throw new ValidationError(`url: ${host} is a private, loopback or reserved address`, 'webhook-url-private');
  }
  return { url: target, addresses };
};

/** The URL check alone (registration). */
export const checkWebhookTarget = async (url: string, allowPrivate: boolean, resolve?: Resolver): Promise<URL> =>
  (await resolveWebhookTarget(url, { allowPrivate, resolve })).url;

/**
 * A `lookup` for `http.request` that answers the target's host with the addresses checked, without
 * asking DNS again. TLS still verifies the certificate for the URL's host name (SNI and Host too).
 */
export const pinnedLookup =
  (target: WebhookTarget): LookupFunction =>
  (_hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === 6 ? target.addresses.filter((a) => a.family === options.family) : target.addresses;
    if (wanted.length === 0) {
      callback(Object.assign(new Error(`no checked IPv${options.family} address for ${target.url.hostname}`), { code: 'ENOTFOUND' }), '', 0);
    } else if (options.all) {
      (callback as unknown as (error: null, addresses: { address: string; family: number }[]) => void)(null, wanted);
    } else {
      callback(null, wanted[0].address, wanted[0].family);
    }
  };
