import { defineMessages } from '../define.js';

/**
 * Drift's "unknown" outcome: places where the repository does not hold the value the cluster runs
 * (shared/core/drift/drift-unknowns.ts), in the studio, `driftline diff` and the report.
 */
export const driftUnknownMessages = defineMessages({
  en: {
    'driftUnknown.title': 'Not provable from the repository',
    'driftUnknown.intro': '{count} place cannot be compared: the repository does not hold the value the cluster runs. It is not counted as drift.|{count} places cannot be compared: the repository does not hold the values the cluster runs. They are not counted as drift.',
    'driftUnknown.badge': 'Unknown',
    'driftUnknown.fixLine': 'Fix: {fix}',
    'driftUnknown.reason.unresolved-substitution': 'A Flux postBuild variable only the cluster holds; the parts the repository fixes around it agree.',
    'driftUnknown.reason.flux-variable': 'A hidden value built from a Flux variable only the cluster holds: its hash is of the placeholder.',
    'driftUnknown.reason.sops-encrypted': 'Encrypted with SOPS in the repository (spec.decryption); only the cluster decrypts it.',
    'driftUnknown.fix.unresolved-substitution': 'Give the scan the ConfigMap or Secret named in postBuild.substituteFrom (add it to the repository or to a Kubernetes dump), or scan the cluster live.',
    'driftUnknown.fix.flux-variable': 'Give the scan the ConfigMap or Secret named in postBuild.substituteFrom (add it to the repository or to a Kubernetes dump), or scan the cluster live.',
    'driftUnknown.fix.sops-encrypted': 'Compare against a live scan of the cluster, which holds the decrypted Secret; ciphertext is never compared.',
    'driftUnknown.truncated': 'Showing {shown} of {total}.',
    'driftUnknown.reasonLine': '{reason} ({count} place) Fix: {fix}|{reason} ({count} places) Fix: {fix}',
    'driftUnknown.cliHeader': '{count} place drift cannot judge (not counted as drift):|{count} places drift cannot judge (not counted as drift):',
    'driftUnknown.cliCount': '{count} drift finding(s), {unknown} place(s) unknown',
    'driftUnknown.col.reason': 'Why unknown',
    'driftUnknown.col.fix': 'Fix',
    'driftUnknown.reportIntro': 'These places are neither drift nor agreement: the repository does not hold the value the cluster runs. They are listed so that the audit states what it could not check, and how to check it.',
  },
  'zh-CN': {
    'driftUnknown.title': '仅凭仓库无法证明',
    'driftUnknown.intro': '{count} 处无法比对：仓库中没有集群实际运行的值，不计入漂移。',
    'driftUnknown.badge': '未知',
    'driftUnknown.fixLine': '解决办法：{fix}',
    'driftUnknown.reason.unresolved-substitution': '含有仅集群持有的 Flux postBuild 变量；仓库中固定的其余部分与集群一致。',
    'driftUnknown.reason.flux-variable': '由仅集群持有的 Flux 变量生成的隐藏值：其哈希是占位符的哈希。',
    'driftUnknown.reason.sops-encrypted': '在仓库中以 SOPS 加密（spec.decryption），只有集群能解密。',
    'driftUnknown.fix.unresolved-substitution': '把 postBuild.substituteFrom 引用的 ConfigMap 或 Secret 提供给扫描（加入仓库或 Kubernetes 导出文件），或对集群做实时扫描。',
    'driftUnknown.fix.flux-variable': '把 postBuild.substituteFrom 引用的 ConfigMap 或 Secret 提供给扫描（加入仓库或 Kubernetes 导出文件），或对集群做实时扫描。',
    'driftUnknown.fix.sops-encrypted': '与集群的实时扫描结果比对（集群中保存的是解密后的 Secret）；密文永远不参与比对。',
    'driftUnknown.truncated': '显示 {total} 处中的 {shown} 处。',
    'driftUnknown.reasonLine': '{reason}（{count} 处）解决办法：{fix}',
    'driftUnknown.cliHeader': '漂移分析无法判定的位置共 {count} 处（不计入漂移）：',
    'driftUnknown.cliCount': '漂移发现 {count} 项，未知 {unknown} 处',
    'driftUnknown.col.reason': '未知原因',
    'driftUnknown.col.fix': '解决办法',
    'driftUnknown.reportIntro': '以下位置既不能判定为漂移，也不能判定为一致：仓库中没有集群实际运行的值。列出它们，是为了让审计结论写明哪些内容未能核对，以及如何核对。',
  },
});
