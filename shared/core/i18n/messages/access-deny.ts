import { defineMessages } from '../define.js';

/** How an answer for everyone (Kafka `User:*`, S3 `*`) names the principals a DENY of their own stops. */
export const accessDenyMessages = defineMessages({
  en: {
    'accessDeny.exceptPrincipal': 'except {principal}, whom a DENY stops ({origin})',
    'accessDeny.exceptPrincipalFrom': 'except {principal} from host {hosts}, where a DENY stops it ({origin})',
  },
  'zh-CN': {
    'accessDeny.exceptPrincipal': '{principal} 除外：被 DENY 规则拒绝（{origin}）',
    'accessDeny.exceptPrincipalFrom': '{principal} 从主机 {hosts} 访问时除外：被 DENY 规则拒绝（{origin}）',
  },
});
