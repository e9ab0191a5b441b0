/**
 * Hosts named in configuration values: URLs (`https://es.example.eu:9200/x`), JDBC URLs,
 * `host:port` lists (bootstrap servers), MongoDB URIs. Only the host and port are kept — a URL's
 * user, password, path and query are dropped unread.
 */
export interface NamedHost {
  host: string;
  port?: number;
  /** `https`, `jdbc:mysql`, `mongodb`… or undefined for a bare host:port. */
  scheme?: string;
}

const URL_RE = /\b((?:jdbc:)?[a-z][a-z0-9+.-]*):\/\/([^\s/?#'"]+)/gi;
const HOST_PORT_RE = /^([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+|\d{1,3}(?:\.\d{1,3}){3}):(\d{2,5})$/i;
const HOSTNAME_RE = /^([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i;

/** Every host a value names, in order, without duplicates. */
export function hostsIn(value: string): NamedHost[] {
  const out: NamedHost[] = [];
  const add = (h: NamedHost) => {
    if (!out.some((o) => o.host === h.host && o.port === h.port)) out.push(h);
  };
  for (const m of value.matchAll(URL_RE)) {
    // The authority may list several hosts (mongodb://a:1,b:2) and carry credentials (u:p@host).
    const authority = m[2].slice(m[2].lastIndexOf('@') + 1);
    for (const part of authority.split(',')) {
      const hp = /^\[?([^\]:]+)\]?(?::(\d+))?$/.exec(part);
      if (hp && /[a-z0-9]/i.test(hp[1])) add({ host: hp[1].toLowerCase(), ...(hp[2] && { port: Number(hp[2]) }), scheme: m[1].toLowerCase() });
    }
  }
  if (out.length) return out;
  for (const part of value.split(/[,\s]+/).filter(Boolean)) {
    const hp = HOST_PORT_RE.exec(part);
    if (hp) add({ host: hp[1].toLowerCase(), port: Number(hp[2]) });
  }
  return out;
}

/** A bare host name (a setting like `ES_HOST=es.example.eu`), when the value is only that. */
export function bareHost(value: string): string | undefined {
  const v = value.trim();
  return HOSTNAME_RE.test(v) ? v.toLowerCase() : undefined;
}

/**
 * Cluster-internal names: Kubernetes service DNS (`svc`, `svc.cluster.local`), single-label names
 * (a Service in the same namespace), localhost. Data sent there stays in the cluster.
 */
export function isClusterInternal(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '127.0.0.1' || h === '::1' || !h.includes('.') || /\.svc(\.cluster\.local)?$/.test(h) || h.endsWith('.cluster.local');
}

/** `orders-api`, `orders-api.shop`, `orders-api.shop.svc.cluster.local` → the Service name and namespace it names. */
export function serviceNamed(host: string, namespace: string): { name: string; namespace: string } | undefined {
  const parts = host.toLowerCase().split('.');
  if (parts.length === 1) return { name: parts[0], namespace };
  if (parts.length === 2) return { name: parts[0], namespace: parts[1] };
  if (parts[2] === 'svc') return { name: parts[0], namespace: parts[1] };
  return undefined;
}
