import { defineMessages } from '../define.js';

/**
 * Gaps in a scan report — what a source could not see, and the fix — shown in the studio's Sources
 * and Snapshots views in the reader's language. The English texts are the ones the scan report and
 * the CLI's JSON have always carried. Values (URNs, binlog positions, kinds) are parameters.
 */
export const captureGapMessages = defineMessages({
  en: {
    // Kubernetes
    'gap.k8s.forbidden': '{label}: list {resource} forbidden for user {user} — grant list on {resource} or exclude the kind (server said: {message})',
    'gap.k8s.notServed': '{label}: {apiVersion} {plural} is not served by this cluster (404) — is its CRD or API group installed?',
    // MySQL binlog: row images whose columns are unproven at their position
    'gap.binlog.live': '{count} row image between {from} and {to} were counted but not classified: the columns they belong to are unproven ({reason}) — SET GLOBAL binlog_row_metadata=FULL so row events name their columns, or capture from the current position (binlog.from: current) so the schema at the start is known|{count} row images between {from} and {to} were counted but not classified: the columns they belong to are unproven ({reason}) — SET GLOBAL binlog_row_metadata=FULL so row events name their columns, or capture from the current position (binlog.from: current) so the schema at the start is known',
    'gap.binlog.offline': "{count} row image between {from} and {to} were counted but not classified: the columns they belong to are unproven ({reason}) — give the table's definition as a mysqldump --no-data file (schemaFile in sources.yaml, with --master-data=2 so it names its position), or binlogs written with binlog_row_metadata=FULL|{count} row images between {from} and {to} were counted but not classified: the columns they belong to are unproven ({reason}) — give the table's definition as a mysqldump --no-data file (schemaFile in sources.yaml, with --master-data=2 so it names its position), or binlogs written with binlog_row_metadata=FULL",
    // Why a table's definition is unproven at a binlog position
    'gap.schema.checkpointWithoutSchema': 'the checkpoint at {position} was saved without table definitions (an older Driftline), so the schema there is unknown',
    'gap.schema.startsAtOldest': 'the capture starts at the oldest binlog kept ({position}), before any definition of this table was seen in the stream',
    'gap.schema.definitionUnknown': 'the table definition is unknown',
    'gap.schema.notSeen': '{table} was not in the schema read at the start of the capture and no CREATE TABLE for it was seen',
    'gap.schema.createdLike': 'created LIKE {table}, whose definition is unknown ({reason})',
    'gap.schema.dropped': 'dropped at {at}; no CREATE TABLE seen after it',
    'gap.schema.tableMapMismatch': '{mismatch} (definition from {provenance})',
    'gap.schema.mapColumnCount': "the binlog's table map has {mapped} columns where the definition in force has {defined}",
    'gap.schema.mapType': 'column {n} ({column}) is written as binlog type {code} in the table map',
    'gap.schema.mapLength': 'column {n} ({column}) holds {bytes} bytes in the table map',
    'gap.schema.offlineNoSchemaFile': '{file} starts after this table was defined and no schemaFile was given',
    'gap.schema.offlineBeforeAnchor': '{file} has no CREATE TABLE for it before the position the schemaFile was taken at ({anchor}), so its columns there are unproven',
    'gap.schema.offlineNotInDump': 'not in schemaFile {schemaFile}, and no CREATE TABLE for it seen in {file}',
    'gap.schema.offlineDidNotExist': 'not in schemaFile {schemaFile}, which covers {database}: the table did not exist at {at}',
    'gap.schema.offlineColumnCount': 'the row image has {count} columns where the definition in force ({provenance}) has {defined}',
  },
  'zh-CN': {
    'gap.k8s.forbidden': '{label}：用户 {user} 无权列出 {resource}（list 被拒绝）——请授予对 {resource} 的 list 权限，或在扫描中排除该类型',
    'gap.k8s.notServed': '{label}：此集群不提供 {apiVersion} {plural}（404）——请确认其 CRD 或 API 组已安装',
    'gap.binlog.live': '{from} 至 {to} 之间的 {count} 条行镜像已计数但未分类：这些值所属的列在该位置无法证明（{reason}）——请执行 SET GLOBAL binlog_row_metadata=FULL，让行事件带上列名；或从当前位置开始采集（binlog.from: current），使起点处的表结构可知',
    'gap.binlog.offline': '{from} 至 {to} 之间的 {count} 条行镜像已计数但未分类：这些值所属的列在该位置无法证明（{reason}）——请以 mysqldump --no-data 文件提供该表的定义（在 sources.yaml 中设置 schemaFile，并加 --master-data=2 以记录其位置），或提供以 binlog_row_metadata=FULL 写入的 binlog',
    'gap.schema.checkpointWithoutSchema': '{position} 处的检查点保存时没有表定义（旧版 Driftline），因此该处的表结构未知',
    'gap.schema.startsAtOldest': '采集从保留的最早 binlog（{position}）开始，早于数据流中出现此表的任何定义',
    'gap.schema.definitionUnknown': '表定义未知',
    'gap.schema.notSeen': '采集开始时读取的表结构中没有 {table}，之后也没有见到它的 CREATE TABLE',
    'gap.schema.createdLike': '以 LIKE {table} 创建，而 {table} 的定义未知（{reason}）',
    'gap.schema.dropped': '已于 {at} 删除，此后没有见到 CREATE TABLE',
    'gap.schema.tableMapMismatch': '{mismatch}（定义来自 {provenance}）',
    'gap.schema.mapColumnCount': 'binlog 的表映射有 {mapped} 列，而当前生效的定义有 {defined} 列',
    'gap.schema.mapType': '第 {n} 列（{column}）在表映射中写为 binlog 类型 {code}',
    'gap.schema.mapLength': '第 {n} 列（{column}）在表映射中占 {bytes} 字节',
    'gap.schema.offlineNoSchemaFile': '{file} 从此表定义之后开始，且未提供 schemaFile',
    'gap.schema.offlineBeforeAnchor': '{file} 在 schemaFile 的采集位置（{anchor}）之前没有此表的 CREATE TABLE，因此该处的列无法证明',
    'gap.schema.offlineNotInDump': '不在 schemaFile {schemaFile} 中，{file} 中也没有见到它的 CREATE TABLE',
    'gap.schema.offlineDidNotExist': '不在 schemaFile {schemaFile} 中（该文件涵盖 {database}）：此表在 {at} 时不存在',
    'gap.schema.offlineColumnCount': '行镜像有 {count} 列，而当前生效的定义（{provenance}）有 {defined} 列',
  },
});
