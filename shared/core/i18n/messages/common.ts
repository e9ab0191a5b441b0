import { defineMessages } from '../define.js';

/** Words every surface uses. */
export const commonMessages = defineMessages({
  en: {
    'common.unknown': 'unknown',
    'common.yes': 'Yes',
    'common.no': 'No',
    'common.none': 'None',
  },
  'zh-CN': {
    'common.unknown': '未知',
    'common.yes': '是',
    'common.no': '否',
    'common.none': '无',
  },
});
