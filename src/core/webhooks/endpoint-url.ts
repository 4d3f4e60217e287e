/**
 * Whether a webhook URL may be registered: http(s), with a host, no credentials, not the server itself and
 * not a loopback, private, link-local or unspecified address (unless private addresses are allowed, for
 * tests and closed networks: TRELLIS_WEBHOOKS_ALLOW_PRIVATE=1). Names are checked again on delivery, once
 * resolved (`isPrivateAddress`). Returns the reason a URL is refused, or null.
 */
export function urlProblem(
  text: string,
  options: { allowPrivate: boolean; selfOrigins: readonly string[] },
): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `must be an http:// or https:// URL, not ${url.protocol.replace(/:$/, '')}`;
  if (!url.hostname) return 'has no host';
  if (url.username || url.password) return 'must not carry a user name or password';
  if (url.hash) return 'must not carry a fragment (#...)';
  const origin = url.origin.toLowerCase();
  if (options.selfOrigins.some((o) => o.toLowerCase().replace(/\/+$/, '') === origin))
    return 'points at this Trellis server itself';
  if (options.allowPrivate) return null;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local'))
    return `points at this machine or the local network (${host}); set TRELLIS_WEBHOOKS_ALLOW_PRIVATE=1 to allow it`;
  if (isPrivateAddress(host))
    return `points at a loopback, private or link-local address (${host}); set TRELLIS_WEBHOOKS_ALLOW_PRIVATE=1 to allow it`;
  return null;
}

/** Loopback, private (RFC 1918, unique local), link-local, CGNAT or unspecified addresses (v4 and v6). */
export function isPrivateAddress(host: string): boolean {
  const h = host.toLowerCase();
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168)
    );
  }
  if (!h.includes(':')) return false;
  if (h === '::' || h === '::1') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  if (mapped) return isPrivateAddress(mapped[1]!);
  // As the URL parser writes a mapped v4 address: ::ffff:7f00:1.
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(h);
  if (hex) {
    const [hi, lo] = [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16)];
    return isPrivateAddress(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
  }
  return /^(fc|fd)/.test(h) || /^fe[89ab]/.test(h);
}
