/** Two- or three-letter tags for node kinds, as engineers write them; the full kind name is the tooltip. */
const KIND: Record<string, string> = {
  database: 'DB', table: 'TBL', column: 'COL', topic: 'TOP', field: 'FLD', bucket: 'S3', prefix: 'S3',
  workload: 'APP', subject: 'SUB', secret: 'SEC', configmap: 'CM', connector: 'CON', 'k8s-object': 'K8S', 'git-file': 'GIT',
};
const SCHEME: Record<string, string> = { mysql: 'DB', kafka: 'KFK', s3: 'S3', k8s: 'K8S', app: 'APP', git: 'GIT', connect: 'CON' };

export const kindTag = (kind: string): string => KIND[kind] ?? kind.slice(0, 3).toUpperCase();
export const schemeTag = (scheme: string): string => SCHEME[scheme] ?? scheme.slice(0, 3).toUpperCase();
