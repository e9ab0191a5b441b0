/**
 * Region → jurisdiction, for flow findings: which law's transfer rules apply where data sits.
 * Exact names first (regions whose prefix points elsewhere: Hong Kong is not mainland China for
 * PIPL purposes, London and Zurich are outside the EU), then prefixes. Cloud vendors' names:
 * AWS (cn-north-1, eu-west-1), Alibaba Cloud (cn-hangzhou), GCP (europe-west1, asia-east2).
 */
const EXACT: Record<string, string> = {
  'cn-hongkong': 'HK',
  'ap-east-1': 'HK',
  'asia-east2': 'HK',
  'eu-west-2': 'UK',
  'europe-west2': 'UK',
  'eu-central-2': 'CH',
  'europe-west6': 'CH',
  'ap-northeast-1': 'JP',
  'ap-northeast-3': 'JP',
  'ap-northeast-2': 'KR',
  'ap-southeast-1': 'SG',
  'ap-southeast-2': 'AU',
  'ap-southeast-4': 'AU',
  'ap-southeast-3': 'ID',
  'ap-south-1': 'IN',
  'ap-south-2': 'IN',
  'ca-central-1': 'CA',
  'sa-east-1': 'BR',
  'af-south-1': 'ZA',
  'il-central-1': 'IL',
};

const PREFIXES: [string, string][] = [
  ['cn-', 'CN'],
  ['eu-', 'EU'],
  ['europe-', 'EU'],
  ['us-', 'US'],
  ['ap-', 'APAC'],
  ['asia-', 'APAC'],
  ['me-', 'ME'],
];

/** The jurisdiction of a region (`cn-north-1` → `CN`), or undefined when we do not know it. */
export function jurisdictionOf(region: string | undefined): string | undefined {
  if (!region) return undefined;
  const r = region.trim().toLowerCase();
  if (EXACT[r]) return EXACT[r];
  return PREFIXES.find(([prefix]) => r.startsWith(prefix))?.[1];
}

/** Laws that restrict transfers out of a jurisdiction: such flows are high severity. */
export const EXPORT_LAWS: Record<string, string> = {
  CN: 'PIPL (cross-border transfer of personal information, art. 38–40)',
  EU: 'GDPR (transfers to third countries, chapter V)',
};
