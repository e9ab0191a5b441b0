
/**
 * The sentences that explain an unusual change, in English and Simplified Chinese. A reason is kept
 * as a code with its numbers (see AnomalyReason), so the studio and the PDF report say it in the
 * reader's language; the scorer itself writes the English one from the same templates.
 */
import { entityLabel } from '../pii/registry.js';

export type AnomalyLang = 'en' | 'zh-CN';

export type ReasonParams = Record<string, string | number | boolean | string[]>;

export interface ReasonCode {
  code: string;
  params: ReasonParams;
}

const WEEKDAYS: Record<AnomalyLang, string[]> = {
  en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
  'zh-CN': ['周日', '周一', '周二', '周三', '周四', '周五', '周六'],
};

/** Sensitive-key tags of the scorer, as a Chinese reader knows them. */
const TAGS_ZH: Record<string, string> = {
  'securityContext.privileged': '特权容器（securityContext.privileged）',
  'host namespaces (hostNetwork/hostPID/hostIPC)': '主机命名空间（hostNetwork/hostPID/hostIPC）',
  'RBAC rules': 'RBAC 规则',
  'a secret-named environment variable': '名称含密钥字样的环境变量',
  serviceAccountName: '服务账号（serviceAccountName）',
  securityContext: '安全上下文（securityContext）',
  image: '镜像',
  'replicas → 0': '副本数 → 0',
};

/** PII entity names as a Chinese reader knows them: the recognizers' own labels. */
const entitiesZh = (names: string[]): string => names.map((e) => entityLabel(e, 'zh-CN')).join('、');

const n = (p: ReasonParams, k: string): number => Number(p[k] ?? 0);
const s = (p: ReasonParams, k: string): string => String(p[k] ?? '');
const list = (p: ReasonParams, k: string): string[] => (Array.isArray(p[k]) ? (p[k] as string[]) : []);
/** A dataset with its region: `s3://lake/lake-eu/… (eu-west-1)`. */
const at = (p: ReasonParams, k: string): string => `${s(p, k)}${s(p, `${k}Region`) ? ` (${s(p, `${k}Region`)})` : ''}`;

type Template = (p: ReasonParams) => string;

/** One clause per code; `weekday-detail` is the weekday clause without its time, used after a time clause. */
const TEMPLATES: Record<AnomalyLang, Record<string, Template>> = {
  en: {
    'time-of-day': (p) => `changed at ${s(p, 'time')} on a ${WEEKDAYS.en[n(p, 'weekday')]}; ${n(p, 'history') > 0 ? `this object is usually changed ${p.weekdaysOnly ? 'on weekdays ' : ''}${s(p, 'range')}` : 'this object has no other changes'} (${n(p, 'near')} of ${n(p, 'history')} changes within an hour of ${s(p, 'hour')}:00)`,
    weekday: (p) => `changed at ${s(p, 'time')} on a ${WEEKDAYS.en[n(p, 'weekday')]}; ${TEMPLATES.en['weekday-detail'](p)}`,
    'weekday-detail': (p) => `${n(p, 'sameDay')} of ${n(p, 'history')} changes to this object were on a ${WEEKDAYS.en[n(p, 'weekday')]}`,
    'author-new-namespace': (p) => `author ${s(p, 'author')} has never changed namespace ${s(p, 'namespace')} before (0 of ${n(p, 'history')} changes there)`,
    'author-rare-namespace': (p) => `author ${s(p, 'author')} has changed namespace ${s(p, 'namespace')} only ${n(p, 'times')} time${n(p, 'times') === 1 ? '' : 's'} before (of ${n(p, 'history')} changes there)`,
    'author-new-object': (p) => `author ${s(p, 'author')} has not changed this object before (${n(p, 'inNamespace')} changes in ${s(p, 'namespace')})`,
    size: (p) => `touches ${n(p, 'keys')} keys (${n(p, 'ops')} patch ops); this object's changes usually touch ${n(p, 'usual')}`,
    sensitive: (p) => `touches ${list(p, 'tags').join(', ')}`,
    burst: (p) => `author ${s(p, 'author')} made ${n(p, 'count')} changes within ${n(p, 'minutes')} minutes either side (usually at most ${n(p, 'usual')})`,
    'outside-gitops': () => 'changed in the cluster outside GitOps: the object now differs from what git approves',
    nothing: (p) => `nothing unusual: usual time, author, size and keys for this object (${n(p, 'history')} other changes)`,
    // Changes that move where personal data goes (connector configs): see pii-route-changes.ts.
    'route-keys': (p) => `${list(p, 'keys').join('; ')} (change #${n(p, 'change')} at ${s(p, 'time')}${s(p, 'author') ? ` by ${s(p, 'author')}` : ''})`,
    'route-now': (p) => `PII (${list(p, 'entities').join(', ')}) from ${at(p, 'from')} now ${p.sinks ? 'goes to' : 'feeds'} ${at(p, 'to')}`,
    'route-no-longer': (p) => `${at(p, 'from')} no longer ${p.sinks ? 'goes to' : 'feeds'} ${at(p, 'to')}`,
    'mask-removed': (p) => `mask removed: ${s(p, 'from')} → ${s(p, 'to')} was masked (${s(p, 'mask')}); its ${list(p, 'entities').join(', ')} values now flow unmasked`,
    'route-counts': (p) => `${n(p, 'added')} route(s) added, ${n(p, 'removed')} removed, ${n(p, 'masks')} mask(s) removed for PII`,
    'route-flows': (p) => `Alters flows: ${list(p, 'flows').join('; ')}`,
    'route-no-flows': () => 'No current cross-border flow passes these datasets',
  },
  'zh-CN': {
    'time-of-day': (p) => `于${WEEKDAYS['zh-CN'][n(p, 'weekday')]} ${s(p, 'time')} 变更；${n(p, 'history') > 0 ? `该对象通常在${p.weekdaysOnly ? '工作日' : ''} ${s(p, 'range')} 变更` : '该对象没有其他变更'}（${n(p, 'history')} 次变更中有 ${n(p, 'near')} 次在 ${s(p, 'hour')}:00 前后一小时内）`,
    weekday: (p) => `于${WEEKDAYS['zh-CN'][n(p, 'weekday')]} ${s(p, 'time')} 变更；${TEMPLATES['zh-CN']['weekday-detail'](p)}`,
    'weekday-detail': (p) => `该对象的 ${n(p, 'history')} 次变更中有 ${n(p, 'sameDay')} 次发生在${WEEKDAYS['zh-CN'][n(p, 'weekday')]}`,
    'author-new-namespace': (p) => `作者 ${s(p, 'author')} 此前从未变更过命名空间 ${s(p, 'namespace')}（该处共 ${n(p, 'history')} 次变更）`,
    'author-rare-namespace': (p) => `作者 ${s(p, 'author')} 此前仅变更过命名空间 ${s(p, 'namespace')} ${n(p, 'times')} 次（该处共 ${n(p, 'history')} 次变更）`,
    'author-new-object': (p) => `作者 ${s(p, 'author')} 此前未变更过该对象（在 ${s(p, 'namespace')} 中有 ${n(p, 'inNamespace')} 次变更）`,
    size: (p) => `涉及 ${n(p, 'keys')} 个键（${n(p, 'ops')} 个补丁操作）；该对象的变更通常只涉及 ${n(p, 'usual')} 个`,
    sensitive: (p) => `涉及${list(p, 'tags').map((t) => TAGS_ZH[t] ?? t).join('、')}`,
    burst: (p) => `作者 ${s(p, 'author')} 在前后 ${n(p, 'minutes')} 分钟内做了 ${n(p, 'count')} 次变更（通常至多 ${n(p, 'usual')} 次）`,
    'outside-gitops': () => '在集群中绕过 GitOps 直接变更：该对象现与 Git 中批准的配置不一致',
    nothing: (p) => `无异常：该对象的变更时间、作者、规模和涉及的键均属常见（另有 ${n(p, 'history')} 次变更）`,
    'route-keys': (p) => `${list(p, 'keys').join('；')}（变更 #${n(p, 'change')}，${s(p, 'time')}${s(p, 'author') ? `，作者 ${s(p, 'author')}` : ''}）`,
    'route-now': (p) => `来自 ${at(p, 'from')} 的个人信息（${entitiesZh(list(p, 'entities'))}）现在${p.sinks ? '写入' : '流向'} ${at(p, 'to')}`,
    'route-no-longer': (p) => `${at(p, 'from')} 不再${p.sinks ? '写入' : '流向'} ${at(p, 'to')}`,
    'mask-removed': (p) => `脱敏被移除：${s(p, 'from')} → ${s(p, 'to')} 原有脱敏（${s(p, 'mask')}），其${entitiesZh(list(p, 'entities'))}现以明文流动`,
    'route-counts': (p) => `个人信息路由新增 ${n(p, 'added')} 条、移除 ${n(p, 'removed')} 条，移除脱敏 ${n(p, 'masks')} 处`,
    'route-flows': (p) => `影响的跨境流动：${list(p, 'flows').join('；')}`,
    'route-no-flows': () => '目前没有跨境流动经过这些数据集',
  },
};

/** One reason as a clause in a language; an unknown code (a newer Driftline) says its code. */
export function reasonText(reason: ReasonCode, lang: AnomalyLang): string {
  const template = TEMPLATES[lang][reason.code] ?? TEMPLATES.en[reason.code];
  return template ? template(reason.params) : reason.code;
}

/**
 * The top reasons as one sentence; when a time clause is there, the weekday clause drops its own
 * time prefix so the time is said once.
 */
export function explainReasons(reasons: readonly ReasonCode[], lang: AnomalyLang): string {
  const hasTime = reasons.some((r) => r.code === 'time-of-day');
  return reasons
    .map((r) => reasonText(r.code === 'weekday' && hasTime ? { ...r, code: 'weekday-detail' } : r, lang))
    .join(lang === 'zh-CN' ? '；' : '; ');
}
