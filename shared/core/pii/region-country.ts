/**
 * The country a source's region stands for, so national phone numbers can be read in it
 * (`0171 555 0199` is a London number to a source in eu-west-2). Cloud region names follow the
 * providers' published lists; a bare ISO 3166 code (`cn`, `DE`) is taken as it is.
 */
const REGION_COUNTRIES: readonly [RegExp, string][] = [
  [/^cn-/, 'CN'],
  [/^(?:us|usgov)-/, 'US'],
  [/^ca-/, 'CA'],
  [/^eu-west-1$/, 'IE'],
  [/^eu-west-2$/, 'GB'],
  [/^eu-west-3$/, 'FR'],
  [/^eu-central-1$/, 'DE'],
  [/^eu-central-2$/, 'CH'],
  [/^eu-north-1$/, 'SE'],
  [/^eu-south-1$/, 'IT'],
  [/^eu-south-2$/, 'ES'],
  [/^ap-northeast-1$/, 'JP'],
  [/^ap-northeast-2$/, 'KR'],
  [/^ap-southeast-1$/, 'SG'],
  [/^ap-southeast-2$/, 'AU'],
  [/^ap-south-1$/, 'IN'],
  [/^ap-east-1$/, 'HK'],
  [/^sa-east-1$/, 'BR'],
  // Chinese clouds' own names (Alibaba Cloud cn-hangzhou, Tencent Cloud ap-guangzhou).
  [/^ap-(?:guangzhou|shanghai|beijing|chengdu|chongqing|nanjing)/, 'CN'],
];

/** ISO 3166-1 alpha-2 country of a region name, or undefined when the region does not say. */
export function countryOfRegion(region: string | undefined): string | undefined {
  if (!region) return undefined;
  const r = region.trim().toLowerCase();
  if (/^[a-z]{2}$/.test(r)) return r.toUpperCase();
  for (const [pattern, country] of REGION_COUNTRIES) if (pattern.test(r)) return country;
  return undefined;
}
