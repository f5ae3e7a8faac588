import type { IncomingMessage } from 'node:http';

/** The peer's address, IPv4-mapped IPv6 (`::ffff:10.0.0.1`) shown as IPv4. */
export function peerAddress(req: IncomingMessage): string | undefined {
  const address = req.socket.remoteAddress;
  return address?.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/**
 * The client's address as routing sees it (sticky `ip` canaries).
 *
 * SECURITY: `X-Forwarded-For` is set by whoever sends the request. It is believed only with
 * `trustProxy`, when the facade sits behind a balancer that sets it; then its first entry
 * is the client. Otherwise the peer's address is the client.
 */
export function clientIp(req: IncomingMessage, trustProxy: boolean): string | undefined {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    if (typeof forwarded === 'string') {
      const comma = forwarded.indexOf(',');
      const first = (comma === -1 ? forwarded : forwarded.slice(0, comma)).trim();
      if (first) return first;
    }
  }
  return peerAddress(req);
}
