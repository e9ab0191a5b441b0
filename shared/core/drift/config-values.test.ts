import { readdirSync, readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { corpus } from '../../../scripts/testing/corpora.js';
import { diffDesiredLive } from './diff-desired-live.js';
import { driftItemsToFindings } from './drift-findings.js';
import { classifyConfigValue, configValueText, hideConfigValues, isCredentialKey, isHiddenValue, looksLikeRandomToken, MASK } from './config-values.js';

const fp = (v: string) => `h(${v.length})`;

describe('which configuration values are hidden', () => {
  it.each([
    // [key, value, preview, why, reason for the row]
    ['MYSQL_PASSWORD', 'hunter2-Secret!', MASK, 'credential-name', 'the key names a password'],
    ['dbPassword', 'x9!', MASK, 'credential-name', 'camelCase key'],
    ['spring.datasource.password', 'p', MASK, 'credential-name', 'dotted key'],
    ['AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY', MASK, 'credential-name', '<qualifier> KEY'],
    ['API_KEY', 'abc', MASK, 'credential-name', 'API key'],
    ['数据库密码', 'abc123', MASK, 'credential-name', 'a Chinese key name'],
    ['DATABASE_URL', 'mysql://app:s3cr3t@db.shop:3306/shop', 'mysql://app:****@db.shop:3306/shop', 'connection-password', 'URL user info: only the password is masked, so lineage still reads the database'],
    ['REDIS', 'redis://:pw@cache:6379/0', 'redis://:****@cache:6379/0', 'connection-password', 'URL with an empty user'],
    ['DSN', 'app:pw@tcp(db:3306)/shop', 'app:****@tcp(db:3306)/shop', 'connection-password', 'a Go MySQL DSN'],
    ['JDBC', 'jdbc:sqlserver://db;user=sa;password=Pa55;database=shop', 'jdbc:sqlserver://db;user=sa;password=****;database=shop', 'connection-password', 'key=value parameters'],
    ['ANYTHING', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', MASK, 'credential-value', 'a JWT, whatever its key'],
    ['GH', 'ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8', MASK, 'credential-value', 'a GitHub token'],
    ['X', 'Zk3Lq9Tr8Vb2Np7Xs4Wd6Hf', MASK, 'credential-value', 'a high-entropy token'],
    ['SUPPORT_PHONE', '+86 138 1234 5678', '138****5678', 'pii:CN_MOBILE', 'a phone number'],
    ['contact', 'ops.lead@example.com', 'o***@example.com', 'pii:EMAIL', 'an email'],
    ['note', 'call 13812345678 or mail ops.lead@example.com', 'call 138****5678 or mail o***@example.com', 'pii:CN_MOBILE', 'PII inside a sentence'],
  ])('%s=%s → %s (%s: %s)', (key, value, preview, why) => {
    const verdict = classifyConfigValue(value, key);
    expect(verdict).toEqual({ hide: true, preview, why: expect.arrayContaining([why]) });
  });

  it.each([
    ['LOG_LEVEL', 'info', 'an ordinary setting'],
    ['PASSWORD_FILE', '/run/secrets/db-password', 'a path to a secret, not the secret'],
    ['SECRET_NAME', 'db-credentials', 'the name of a Secret'],
    ['DB_PASSWORD', '${file:/secrets/db.properties:password}', 'a reference resolved elsewhere'],
    ['DB_PASSWORD', '$(MYSQL_PASSWORD)', 'a Kubernetes env reference'],
    ['REQUIRE_PASSWORD', 'true', 'a flag'],
    ['CACHE_KEY', 'session-cache', 'a bare KEY names no credential'],
    ['DATABASE_URL', 'mysql://db.shop:3306/shop', 'a DSN without a password'],
    ['IMAGE', 'gcr.io/google-samples/microservices-demo/emailservice:v0.10.0', 'an image'],
    ['REVISION', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'hex is a digest or commit id'],
    ['ID', '123e4567-e89b-12d3-a456-426614174000', 'a UUID'],
    ['DB_HOST', '10.0.0.3', 'an IP address in configuration is infrastructure'],
    ['CLASS', 'io.debezium.connector.mysql.MySqlConnector', 'a Java class name'],
    ['DATE', '2026-01-05T10:00:00Z', 'a timestamp'],
  ])('%s=%s is kept (%s)', (key, value) => {
    expect(classifyConfigValue(value, key)).toEqual({ hide: false });
  });

  it('masks the sensitive lines of a mounted config file and keeps the rest readable', () => {
    const file = 'bootstrap.servers=kafka:9092\nspring.datasource.url=jdbc:mysql://db:3306/shop\nspring.datasource.password=Pa55w0rd!\nadmin.email: ops.lead@example.com\n<token>abcd</token>\n';
    const verdict = classifyConfigValue(file, 'application.properties');
    expect(verdict).toEqual({ hide: true, why: expect.arrayContaining(['credential-name', 'pii:EMAIL']), preview: 'bootstrap.servers=kafka:9092\nspring.datasource.url=jdbc:mysql://db:3306/shop\nspring.datasource.password=****\nadmin.email: o***@example.com\n<token>****</token>\n' });
  });

  it('knows credential key names by their last word', () => {
    expect(['DB_PASSWORD', 'clientSecret', 'X-Auth-Token', 'private_key', 'SSH_KEY'].every(isCredentialKey)).toBe(true);
    expect(['PASSWORD_POLICY', 'secretRef', 'TOKEN_TTL', 'KEY', 'SORT_KEY', 'bypass'].some(isCredentialKey)).toBe(false);
    expect(looksLikeRandomToken('kubernetes-dashboard-metrics')).toBe(false);
  });
});

describe('hideConfigValues on Kubernetes objects', () => {
  const deployment = {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'api', namespace: 'shop', annotations: { owner: 'ops.lead@example.com', 'kubectl.kubernetes.io/last-applied-configuration': '{"env":"MYSQL_PASSWORD=hunter2"}', team: 'payments' } },
    spec: { template: { metadata: { annotations: { 'on-call': '13812345678' } }, spec: { containers: [{ name: 'api', env: [{ name: 'MYSQL_PASSWORD', value: 'hunter2-Secret!' }, { name: 'LOG_LEVEL', value: 'info' }, { name: 'DB', valueFrom: { secretKeyRef: { name: 'db', key: 'pw' } } }], args: ['--token=abcdef', '--password', 'hunter3', '--port=8080'] }] } } },
  };

  it('hides env values, args, annotations (pod template too) and the last-applied copy; keeps everything else', () => {
    const out = hideConfigValues(deployment, fp) as any;
    const c = out.spec.template.spec.containers[0];
    expect(c.env[0].value).toEqual({ $hash: 'h(15)', $preview: MASK, $why: ['credential-name'] });
    expect(c.env[1].value).toBe('info');
    expect(c.env[2]).toEqual(deployment.spec.template.spec.containers[0].env[2]);
    expect(c.args).toEqual([{ $hash: 'h(14)', $preview: '--token=****', $why: ['credential-name'] }, '--password', { $hash: 'h(7)', $preview: MASK, $why: ['credential-name'] }, '--port=8080']);
    expect(out.metadata.annotations.owner).toMatchObject({ $preview: 'o***@example.com', $why: ['pii:EMAIL'] });
    expect(out.metadata.annotations.team).toBe('payments');
    expect(out.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toMatchObject({ $hash: expect.any(String) });
    expect(out.spec.template.metadata.annotations['on-call']).toMatchObject({ $preview: '138****5678' });
    expect(JSON.stringify(out)).not.toMatch(/hunter|ops\.lead|13812345678|abcdef/);
    // The input is not changed.
    expect(deployment.spec.template.spec.containers[0].env[0].value).toBe('hunter2-Secret!');
  });

  it('hides ConfigMap data and all binaryData, and credential-named keys anywhere (a connector config)', () => {
    const cm = hideConfigValues({ kind: 'ConfigMap', metadata: { name: 'c' }, data: { SUPPORT_PHONE: '+86 138 1234 5678', MODE: 'prod' }, binaryData: { 'keystore.jks': 'AAECAw==' } }, fp) as any;
    expect(cm.data).toEqual({ SUPPORT_PHONE: { $hash: 'h(17)', $preview: '138****5678', $why: ['pii:CN_MOBILE'] }, MODE: 'prod' });
    expect(cm.binaryData['keystore.jks']).toMatchObject({ $preview: '(binary, 6 bytes, not shown)' });
    const connector = hideConfigValues({ kind: 'KafkaConnector', metadata: { name: 'k' }, spec: { config: { 'database.hostname': 'db', 'database.password': 'pw123' } } }, fp) as any;
    expect(connector.spec.config).toEqual({ 'database.hostname': 'db', 'database.password': { $hash: 'h(5)', $preview: MASK, $why: ['credential-name'] } });
  });

  it('walks without recursion: a very deep object neither overflows nor loses its credentials', () => {
    let deep: Record<string, unknown> = { password: 'deep-secret' };
    for (let i = 0; i < 100_000; i++) deep = { n: deep };
    let out = hideConfigValues({ kind: 'Thing', metadata: { name: 'x' }, spec: deep }, fp) as any;
    out = out.spec;
    for (let i = 0; i < 100_000; i++) out = out.n;
    expect(out.password).toMatchObject({ $preview: MASK });
  });

  it('gives readers the preview as text (lineage reads DSNs from it)', () => {
    const v = classifyConfigValue('mysql://app:pw@db/shop', 'DATABASE_URL');
    expect(v.hide).toBe(true);
    const hidden = { $hash: 'x', $preview: (v as { preview: string }).preview, $why: [] };
    expect(isHiddenValue(hidden)).toBe(true);
    expect(configValueText(hidden)).toBe('mysql://app:****@db/shop');
    expect(configValueText('plain')).toBe('plain');
    expect(configValueText(3)).toBeUndefined();
  });

  it('hides only the true credential in the public example manifests (Online Boutique, Argo CD examples)', () => {
    const hidden: string[] = [];
    let values = 0;
    const walk = (v: unknown, path: string): void => {
      if (isHiddenValue(v)) hidden.push(path);
      else if (Array.isArray(v)) v.forEach((c, i) => walk(c, `${path}/${i}`));
      else if (v && typeof v === 'object') for (const [k, c] of Object.entries(v)) walk(c, `${path}/${k}`);
      else if (typeof v === 'string') values++;
    };
    const sockShop = corpus('argocd-example-apps/sock-shop/base');
    for (const file of [corpus('microservices-demo/release/kubernetes-manifests.yaml'), ...readdirSync(sockShop).map((f) => `${sockShop}/${f}`)]) {
      for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
        const obj = doc.toJS() as { kind?: string; metadata?: { name?: string } } | null;
        if (obj?.kind && obj.kind !== 'Secret') walk(hideConfigValues(obj, fp), `${obj.kind}/${obj.metadata?.name}`);
      }
    }
    expect(values).toBeGreaterThan(500);
    // sock-shop's catalogue-db sets MYSQL_ROOT_PASSWORD in plain env: the one credential in these files.
    expect(hidden).toEqual(['Deployment/catalogue-db/spec/template/spec/containers/0/env/0/value']);
  });

  it('desired and live hidden by the same policy and key still compare: equal by hash, a change is "modified"', () => {
    const hmac = (v: string) => `k:${[...v].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7).toString(16)}`;
    const env = (password: string) => hideConfigValues({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop' }, spec: { template: { spec: { containers: [{ name: 'api', env: [{ name: 'MYSQL_PASSWORD', value: password }], args: ['--token=abc', 'serve'] }] } } } }, hmac);
    expect(diffDesiredLive(env('same-password'), env('same-password'))).toEqual([]);
    const items = diffDesiredLive(env('approved-password'), env('hand-edited-password'));
    expect(items).toEqual([{ kind: 'modified', path: '/spec/template/spec/containers/0/env/0/value', desired: expect.objectContaining({ $preview: MASK }), live: expect.objectContaining({ $preview: MASK }) }]);
    const [finding] = driftItemsToFindings('k8s://prod/shop/Deployment/api', items);
    expect(JSON.stringify(finding)).not.toMatch(/approved-password|hand-edited-password/);
  });
});
