/**
 * Which URLs may receive webhooks. In production: https only, and never a private, loopback, link-local or
 * otherwise internal address — by IP literal or by what the name resolves to (the backend must not become
 * a way to reach the merchant's or our own internal network). In development plain http is allowed to
 * loopback and the REDIRECT_DEV_HOSTS (the demo's merchant server runs on 127.0.0.1).
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

export type Resolver = (host: string) => Promise<string[]>;

export const dnsResolver: Resolver = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

export interface UrlPolicy {
  production: boolean;
  devHosts: string[];
  resolve?: Resolver;
}

/** Answers null when the URL is acceptable, else the reason (shown to the merchant). */
export async function refuseWebhookUrl(text: string, policy: UrlPolicy): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'not an absolute URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return `the scheme must be https (got ${url.protocol})`;
  if (url.username || url.password) return 'the URL must not carry a user name or password';
  if (url.hash) return 'the URL must not have a #fragment';
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const loopbackName = host === 'localhost' || host.endsWith('.localhost');
  if (!policy.production) {
    if (url.protocol === 'https:') return null;
    const literal = isIP(host) ? ipClass(host) : null;
    if (loopbackName || literal === 'loopback' || policy.devHosts.includes(host)) return null;
    return 'plain http is allowed only to loopback or REDIRECT_DEV_HOSTS in development; use https';
  }
  if (url.protocol !== 'https:') return 'the URL must use https in production';
  if (loopbackName) return `${host} is a loopback name`;
  if (isIP(host)) {
    const c = ipClass(host);
    return c ? `${host} is a ${c} address` : null;
  }
  if (!host.includes('.') || host.endsWith('.local') || host.endsWith('.internal'))
    return `${host} is not a public host name`;
  let addresses: string[];
  try {
    addresses = await (policy.resolve ?? dnsResolver)(host);
  } catch {
    return `${host} does not resolve`;
  }
  if (addresses.length === 0) return `${host} does not resolve`;
  for (const a of addresses) {
    const c = ipClass(a);
    if (c) return `${host} resolves to ${a}, a ${c} address`;
  }
  return null;
}

/** 'loopback', 'private', … for an address that is not a public unicast one; null for a public one. */
export function ipClass(address: string): string | null {
  if (isIP(address) === 4) return ipv4Class(address.split('.').map(Number));
  const v6 = expandIpv6(address);
  if (!v6) return 'unparseable';
  const [a = 0, b = 0] = v6;
  if (v6.every((x) => x === 0)) return 'unspecified';
  if (v6.slice(0, 7).every((x) => x === 0) && v6[7] === 1) return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::/96) carry an IPv4 address.
  if (v6.slice(0, 5).every((x) => x === 0) && v6[5] === 0xffff) return ipv4Class(v4Of(v6)) ?? null;
  if (a === 0x64 && b === 0xff9b) return ipv4Class(v4Of(v6)) ?? null;
  if ((a & 0xfe00) === 0xfc00) return 'private (unique local)';
  if ((a & 0xffc0) === 0xfe80) return 'link-local';
  if ((a & 0xff00) === 0xff00) return 'multicast';
  if (a === 0x2001 && b === 0x0db8) return 'documentation';
  return null;
}

function v4Of(v6: number[]): number[] {
  const [hi = 0, lo = 0] = v6.slice(6);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255];
}

function ipv4Class([a = 0, b = 0, c = 0]: number[]): string | null {
  if (a === 127) return 'loopback';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
  if (a === 169 && b === 254) return 'link-local';
  if (a === 100 && b >= 64 && b <= 127) return 'shared (carrier-grade NAT)';
  if (a === 0) return 'unspecified';
  if (a >= 224) return a >= 240 ? 'reserved' : 'multicast';
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return 'reserved';
  if (a === 198 && (b === 18 || b === 19)) return 'benchmarking';
  if ((a === 198 && b === 51 && c === 100) || (a === 203 && b === 0 && c === 113)) return 'documentation';
  return null;
}

/** Eight 16-bit groups of an IPv6 address (with an embedded IPv4 tail), or null. */
function expandIpv6(text: string): number[] | null {
  let s = text.toLowerCase().split('%')[0] as string;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const p = (v4[1] as string).split('.').map(Number);
    s = `${s.slice(0, -(v4[1] as string).length)}${(((p[0] ?? 0) << 8) | (p[1] ?? 0)).toString(16)}:${(((p[2] ?? 0) << 8) | (p[3] ?? 0)).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const parse = (h: string) => (h === '' ? [] : h.split(':').map((g) => parseInt(g, 16)));
  const head = parse(halves[0] as string);
  const tail = halves.length === 2 ? parse(halves[1] as string) : [];
  const fill = 8 - head.length - tail.length;
  if (halves.length === 1 ? fill !== 0 : fill < 0) return null;
  const out = [...head, ...new Array<number>(fill).fill(0), ...tail];
  return out.some((g) => !Number.isInteger(g) || g < 0 || g > 0xffff) ? null : out;
}
