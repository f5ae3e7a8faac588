import { BlockList, isIP } from 'node:net';

/**
 * Ports of well-known services that do not speak HTTP to a facade (or are a machine's control
 * plane): an upstream on one of them is refused unless its exact `host:port` is allowed.
 */
export const SERVICE_PORTS: ReadonlyMap<number, string> = new Map([
  [22, 'SSH'],
  [23, 'Telnet'],
  [25, 'SMTP'],
  [53, 'DNS'],
  [110, 'POP3'],
  [111, 'RPC portmapper'],
  [135, 'MS RPC'],
  [139, 'NetBIOS'],
  [143, 'IMAP'],
  [389, 'LDAP'],
  [445, 'SMB'],
  [465, 'SMTPS'],
  [587, 'SMTP submission'],
  [636, 'LDAPS'],
  [993, 'IMAPS'],
  [995, 'POP3S'],
  [1433, 'SQL Server'],
  [1521, 'Oracle'],
  [2049, 'NFS'],
  [2375, 'the Docker API'],
  [2376, 'the Docker API'],
  [2379, 'etcd'],
  [2380, 'etcd'],
  [3306, 'MySQL'],
  [3389, 'RDP'],
  [4222, 'NATS'],
  [5432, 'PostgreSQL'],
  [5672, 'AMQP'],
  [6379, 'Redis'],
  [6443, 'the Kubernetes API'],
  [9042, 'Cassandra'],
  [9092, 'Kafka'],
  [10250, 'the kubelet'],
  [11211, 'Memcached'],
  [26379, 'Redis Sentinel'],
  [27017, 'MongoDB'],
]);

/** Cloud instance metadata services, by address (besides all of link-local) and by name. */
const METADATA_ADDRESSES = ['169.254.169.254', '169.254.170.2', 'fd00:ec2::254', '100.100.100.200', '168.63.129.16'];
const METADATA_NAMES = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
]);

const LINK_LOCAL = new BlockList();
LINK_LOCAL.addSubnet('169.254.0.0', 16, 'ipv4');
LINK_LOCAL.addSubnet('fe80::', 10, 'ipv6');
const METADATA = new BlockList();
for (const address of METADATA_ADDRESSES) METADATA.addAddress(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');

/**
 * What makes a host special, for messages: a link-local or cloud metadata address or name;
 * undefined for any other host. `family` is `isIP(host)`.
 */
export function specialHost(host: string, family: number): string | undefined {
  if (family === 0) return METADATA_NAMES.has(host) ? 'a cloud metadata name' : undefined;
  const type = family === 6 ? 'ipv6' : 'ipv4';
  if (METADATA.check(host, type)) return 'a cloud metadata address';
  if (LINK_LOCAL.check(host, type)) return 'a link-local address (where cloud metadata services answer)';
  return undefined;
}
