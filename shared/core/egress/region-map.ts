import { z } from 'zod';

/**
 * Where things outside the captured sources are: the user-editable `regions:` section of
 * sources.yaml. Hosts may use a leading `*.` wildcard; principals are named as the access answer
 * names them (`User:partner`, `report@%`, `AWS:arn:aws:iam::1:role/etl`); buckets by name.
 *
 *   regions:
 *     hosts:
 *       "*.es.example.eu": eu-west-1
 *       partner-api.example.com: us-east-1
 *     principals:
 *       "User:analytics": cn-north-1
 *     buckets:
 *       lake-backup-us: us-east-1
 */
export const regionMapSchema = z.object({
  hosts: z.record(z.string().min(1), z.string().min(1)).default({}),
  principals: z.record(z.string().min(1), z.string().min(1)).default({}),
  buckets: z.record(z.string().min(1), z.string().min(1)).default({}),
}).strict();
export type RegionMap = z.infer<typeof regionMapSchema>;
export const EMPTY_REGION_MAP: RegionMap = { hosts: {}, principals: {}, buckets: {} };

export interface RegionAnswer {
  region: string;
  /** How we know: `regions.hosts "*.es.example.eu" in sources.yaml`, `the AWS endpoint name`… */
  from: string;
}

/** Cloud endpoint names that carry their region (AWS, Alibaba Cloud OSS, Azure is not in the name). */
const ENDPOINT_PATTERNS: [RegExp, string][] = [
  [/(?:^|\.)s3[.-]([a-z]{2}(?:-gov)?-[a-z]+-\d)\.amazonaws\.com(?:\.cn)?$/, 'the AWS S3 endpoint name'],
  [/\.([a-z]{2}(?:-gov)?-[a-z]+-\d)\.(?:es|rds|kafka|redshift|elasticache|execute-api|kinesis|firehose|sqs|sns)\.amazonaws\.com(?:\.cn)?$/, 'the AWS service endpoint name'],
  [/(?:^|\.)(?:es|rds|kafka|kinesis|firehose|sqs|sns)\.([a-z]{2}(?:-gov)?-[a-z]+-\d)\.amazonaws\.com(?:\.cn)?$/, 'the AWS service endpoint name'],
  [/(?:^|\.)oss-(cn-[a-z]+|ap-[a-z]+-\d|eu-[a-z]+-\d|us-[a-z]+-\d)(?:-internal)?\.aliyuncs\.com$/, 'the Alibaba Cloud OSS endpoint name'],
];

function hostGlobMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  if (p.startsWith('*.')) return host.endsWith(p.slice(1)) && host.length > p.length - 1;
  return p === host;
}

/** The region of a host: the user's map first (exact beats wildcard), then the endpoint's own name. */
export function regionOfHost(host: string, map: RegionMap): RegionAnswer | undefined {
  const h = host.toLowerCase().replace(/:\d+$/, '');
  const withPort = host.toLowerCase();
  const entries = Object.entries(map.hosts);
  const exact = entries.find(([p]) => p.toLowerCase() === withPort || p.toLowerCase() === h);
  if (exact) return { region: exact[1], from: `regions.hosts "${exact[0]}" in sources.yaml` };
  const wild = entries.filter(([p]) => p.startsWith('*.') && hostGlobMatches(p, h)).sort(([a], [b]) => b.length - a.length)[0];
  if (wild) return { region: wild[1], from: `regions.hosts "${wild[0]}" in sources.yaml` };
  for (const [re, from] of ENDPOINT_PATTERNS) {
    const m = re.exec(h);
    if (m) return { region: m[1], from };
  }
  return undefined;
}

export const regionOfPrincipal = (name: string, map: RegionMap): RegionAnswer | undefined =>
  map.principals[name] ? { region: map.principals[name], from: `regions.principals "${name}" in sources.yaml` } : undefined;

export const regionOfBucket = (name: string, map: RegionMap): RegionAnswer | undefined =>
  map.buckets[name] ? { region: map.buckets[name], from: `regions.buckets "${name}" in sources.yaml` } : undefined;
