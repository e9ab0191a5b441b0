import { isIPv4, isIPv6 } from '../checksums.js';
import type { Recognizer } from '../types.js';

/** An IPv4 or IPv6 address; the patterns only admit the alphabet, strict parsing decides. */
export const ipAddressRecognizer: Recognizer = {
  entity: 'IP_ADDRESS',
  patterns: [/[0-9.]{7,15}/, /[0-9A-Fa-f:.]{2,45}/],
  context: ['client', 'remote', 'login', 'access', 'session', '访问', '登录'],
  nameHints: [
    'ip', 'ip_address', 'ipaddr', 'ip_addr', 'client_ip', 'remote_ip', 'remote_addr', 'source_ip', 'src_ip',
    'dst_ip', 'user_ip', 'login_ip', 'last_ip', 'ipv4', 'ipv6', 'x_forwarded_for', 'ip地址', '登录ip', '来源ip',
  ],
  baseConfidence: 0.85,
  threshold: 0.6,
  prefilter: (s) =>
    (s.dots === 3 && s.colons === 0 && s.length <= 15 && s.digits >= 4 && s.letters === 0) ||
    (s.colons >= 2 && s.length <= 45 && s.han === 0 && s.spaces === 0),
  validate: (value) => (value.includes(':') ? isIPv6(value) : isIPv4(value)),
  validation: 'strict IPv4 (RFC 791) / IPv6 (RFC 4291) syntax',
  labels: { en: 'IP address', 'zh-CN': 'IP 地址' },
  severity: 'low',
  identifying: true,
  mask(value) {
    if (isIPv4(value)) {
      const [a, b] = value.split('.');
      return `${a}.${b}.*.*`;
    }
    const groups = value.split(':').filter((g) => g.length > 0);
    return `${groups.slice(0, 2).join(':') || '0'}:****:****`;
  },
  normalize: (v) => (v.includes(':') ? expandIPv6(v) : v),
  source: 'builtin',
};

/** The full eight-group lowercase form of an IPv6 address, so `2001:db8::1` and its long form hash alike. */
function expandIPv6(value: string): string {
  const lower = value.toLowerCase();
  const [head, tail] = lower.includes('::') ? lower.split('::') : [lower, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const withV4 = (groups: string[]): string[] => {
    const last = groups[groups.length - 1];
    if (last === undefined || !last.includes('.')) return groups;
    const o = last.split('.').map(Number);
    return [...groups.slice(0, -1), ((o[0] << 8) | o[1]).toString(16), ((o[2] << 8) | o[3]).toString(16)];
  };
  const hh = withV4(h);
  const tt = withV4(t);
  const fill = tail === undefined ? [] : Array(Math.max(8 - hh.length - tt.length, 0)).fill('0');
  return [...hh, ...fill, ...tt].map((g) => g.padStart(4, '0')).join(':');
}
