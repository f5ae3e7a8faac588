import { parseAllowEntry } from './allow-entry';
import { decideUpstream, defaultAllowList, refusedUpstreams, upstreamAllowList } from './upstream-allow';

const configured = (...entries: string[]) => upstreamAllowList(entries, 'STRANGLER_UPSTREAM_ALLOW');

describe('decideUpstream', () => {
  const fromRules = defaultAllowList(['http://legacy.internal:3000', 'http://[fd00::5]:80', 'http://169.254.10.9:80']);

  it.each<[string, string, ReturnType<typeof configured>, RegExp | true]>([
    // the default: loopback and the rules file's hosts
    ['loopback', 'http://127.0.0.1:3001', fromRules, true],
    ['loopback, another address of 127/8', 'http://127.0.0.2:3001', fromRules, true],
    ['IPv6 loopback', 'http://[::1]:3001', fromRules, true],
    ['localhost, any case, trailing dot', 'http://LocalHost.:3001', fromRules, true],
    ['a host of the rules file, another port', 'https://legacy.internal:8443', fromRules, true],
    ['an IPv6 host of the rules file', 'http://[fd00::5]:8080', fromRules, true],
    ['a private address not listed', 'http://10.0.0.1:80', fromRules, /10\.0\.0\.1 is not in the upstream allow-list/],
    ['a name not listed, not resolved', 'http://evil.example', fromRules, /names are not resolved/],
    ['a subdomain of a listed name', 'http://x.legacy.internal:3000', fromRules, /not in the upstream allow-list/],
    // always refused
    ['user and password', 'http://user:secret@127.0.0.1:3000', fromRules, /carries a user or password/],
    ['user only', 'http://user@127.0.0.1:3000', configured('127.0.0.1:3000'), /carries a user or password/],
    // link-local and metadata: only by naming the host explicitly
    ['the metadata address', 'http://169.254.169.254', fromRules, /169\.254\.169\.254 is a cloud metadata address/],
    ['the metadata address, decimal', 'http://2852039166/', fromRules, /is a cloud metadata address/],
    ['the metadata address, IPv4-mapped', 'http://[::ffff:169.254.169.254]/', fromRules, /cloud metadata/],
    ['link-local from the rules file', 'http://169.254.10.9', fromRules, /is a link-local address/],
    ['IPv6 link-local', 'http://[fe80::1]:8080', configured('fe80::/10'), /link-local.*a network does not allow it/],
    ['link-local under a network', 'http://169.254.10.9', configured('0.0.0.0/0'), /link-local/],
    ['link-local, named explicitly', 'http://169.254.10.9:8080', configured('169.254.10.9'), true],
    ['a metadata name', 'http://metadata.google.internal', configured('*.google.internal'), /cloud metadata name/],
    ['a metadata name, named', 'http://metadata.google.internal', configured('metadata.google.internal'), true],
    ['AWS IPv6 metadata', 'http://[fd00:ec2::254]', configured('fd00::/8'), /cloud metadata address/],
    // service ports: only by listing host:port
    ['SSH on a listed network', 'http://10.0.0.1:22', configured('10.0.0.0/8'), /port 22 is SSH's.*10\.0\.0\.1:22/],
    ['Redis on loopback', 'http://127.0.0.1:6379', fromRules, /port 6379 is Redis's/],
    ['PostgreSQL', 'http://127.0.0.1:5432', fromRules, /PostgreSQL/],
    ['MongoDB on a listed name', 'http://db.internal:27017', configured('db.internal'), /MongoDB.*db\.internal:27017/],
    ['Memcached, IPv6', 'http://[::1]:11211', fromRules, /\[::1\]:11211/],
    ['Redis, host:port listed', 'http://127.0.0.1:6379', configured('127.0.0.1:6379'), true],
    ['Redis, name:port listed', 'http://cache:6379', configured('cache:6379'), true],
    ['Redis, another port listed', 'http://127.0.0.1:6379', configured('127.0.0.1:6380'), /Redis/],
    // configured lists replace the default
    ['a network', 'http://10.1.2.3:8080', configured('10.0.0.0/8'), true],
    ['outside the network', 'http://11.1.2.3:8080', configured('10.0.0.0/8'), /not in the upstream allow-list/],
    ['loopback is not implied', 'http://127.0.0.1:3000', configured('10.0.0.0/8'), /not in the upstream allow-list/],
    ['a name with its port', 'http://catalog:3001', configured('catalog:3001'), true],
    ['a name, another port', 'http://catalog:3002', configured('catalog:3001'), /not in the upstream allow-list/],
    ['a domain wildcard', 'http://catalog.shop.svc', configured('*.shop.svc'), true],
    ['the wildcard is not its domain', 'http://shop.svc', configured('*.shop.svc'), /not in the upstream allow-list/],
    ['a name is not an address', 'http://10.0.0.1', configured('catalog'), /not in the upstream allow-list/],
  ])('%s: %s', (_case, url, allow, expected) => {
    const decision = decideUpstream(url, allow);
    if (expected === true) expect(decision).toEqual({ ok: true });
    else expect(decision).toEqual({ ok: false, reason: expect.stringMatching(expected) });
  });

  it('names the list it used in the reason', () => {
    expect(decideUpstream('http://10.0.0.1', configured('10.9.0.0/16', 'catalog'))).toEqual({
      ok: false,
      reason: '10.0.0.1 is not in the upstream allow-list; STRANGLER_UPSTREAM_ALLOW allows 10.9.0.0/16, catalog',
    });
  });
});

describe('parseAllowEntry', () => {
  it.each([
    '10.0.0.0/8',
    'fd00::/8',
    '10.1.2.3',
    '::1',
    '[fd00::1]',
    '[fd00::1]:22',
    '10.1.2.3:6379',
    'catalog',
    'Catalog.Internal:3001',
    '*.svc.cluster.local',
  ])('reads %s', (entry) => expect(() => parseAllowEntry(entry)).not.toThrow());

  it.each<[string, RegExp]>([
    ['', /is empty/],
    ['10.0.0.0/33', /not a CIDR network/],
    ['catalog/8', /not a CIDR network/],
    ['[fd00::1]:x', /IPv6 address in brackets/],
    ['catalog:0', /port that is not 1 to 65535/],
    ['catalog:70000', /port that is not 1 to 65535/],
    ['http://catalog', /is a URL: list its host/],
    ['*.', /not \*\. followed by a domain name/],
    ['bad host!', /not a host name/],
  ])('refuses %j', (entry, message) => expect(() => parseAllowEntry(entry)).toThrow(message));
});

describe('refusedUpstreams', () => {
  it('names each refused upstream with where it is and why', () => {
    const refused = refusedUpstreams(
      {
        legacy: { url: 'http://127.0.0.1:3000' },
        metadata: { url: 'http://169.254.169.254' },
        pool: { urls: ['http://127.0.0.1:3001', 'http://10.0.0.1:22'] },
      },
      defaultAllowList(),
    );
    expect(refused).toEqual([
      expect.stringMatching(
        /^upstreams\.metadata\.url: upstream "metadata" at http:\/\/169\.254\.169\.254 is refused: /,
      ),
      expect.stringMatching(
        /^upstreams\.pool\.urls\[1\]: upstream "pool" at http:\/\/10\.0\.0\.1:22 is refused: port 22/,
      ),
    ]);
  });
});
