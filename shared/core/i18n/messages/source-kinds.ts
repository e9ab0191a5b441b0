import { defineMessages } from '../define.js';

/**
 * What each source kind is, for the studio's Kind dropdown and the Sources list (the code beside it
 * is what sources.yaml says). A kind added from one file and not named here is shown by its code.
 */
export const sourceKindMessages = defineMessages({
  en: {
    'sourceKind.kubernetes': 'Kubernetes cluster',
    'sourceKind.git': 'Git repository (GitOps desired state)',
    'sourceKind.mysql': 'MySQL / MariaDB database',
    'sourceKind.kafka': 'Kafka cluster',
    'sourceKind.kafka-connect': 'Kafka Connect cluster',
    'sourceKind.s3': 'S3-compatible object store',
    'sourceKind.withCode': '{label} · {code}',
  },
  'zh-CN': {
    'sourceKind.kubernetes': 'Kubernetes 集群',
    'sourceKind.git': 'Git 仓库（GitOps 期望状态）',
    'sourceKind.mysql': 'MySQL / MariaDB 数据库',
    'sourceKind.kafka': 'Kafka 集群',
    'sourceKind.kafka-connect': 'Kafka Connect 集群',
    'sourceKind.s3': 'S3 兼容对象存储',
    'sourceKind.withCode': '{label} · {code}',
  },
});
