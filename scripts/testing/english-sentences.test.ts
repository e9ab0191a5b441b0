import { describe, expect, it } from 'vitest';
import { englishSentences } from './english-sentences.js';

describe('englishSentences', () => {
  it('finds English sentences, even between identifiers', () => {
    const found = englishSentences('Secret shop/db holds the credential of shop_app@% [key "DATABASE_USER" of k8s://prod/shop/Secret/db holds the keyed hash]');
    expect(found.map((f) => f.run)).toEqual(['holds the credential of', 'holds the keyed hash']);
    expect(englishSentences('尚不能完全确定：kafka://events: offline dump without aclsFile — who can read these topics is unknown')).toHaveLength(2);
    expect(englishSentences('connector lake-sink (io.confluent.connect.s3.S3SinkConnector) reads topics=shop.users and writes to s3.bucket.name=lake').map((f) => f.run)).toEqual(['and writes to']);
  });

  it('lets Chinese text with identifiers, product names and SQL pass', () => {
    for (const ok of [
      'Group:shop-ops 可以通过 RoleBinding shop/ops-read-secrets → Role secret-reader 对 Secret shop/shop-db-credentials 执行 get/list/watch。',
      'shop_app@%：对 `shop`.* 的 SELECT 权限［grantsFile ./mysql/shop-grants.txt: GRANT SELECT, INSERT ON `shop`.* TO `shop_app`@`%`］',
      '连接器 lake-sink（io.confluent.connect.s3.S3SinkConnector）读取 topics=shop.shop.users，并写入 lake-eu/topics/shop.shop.users',
      '容器 checkout 的环境变量 DATABASE_URL ← 键 DATABASE_URL',
      'Deployment shop/checkout 从 Secret shop/shop-db-credentials 读取环境变量',
      '涉及字段：address, birthday, email, id_card, name, phone。',
    ]) expect(englishSentences(ok), ok).toEqual([]);
  });
});
