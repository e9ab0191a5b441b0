import { defineMessages } from '../define.js';

/** Names of PII entities (codes such as CN_MOBILE stay in tooltips). Read them through entityLabel(). */
export const entityMessages = defineMessages({
  en: {
    'entity.EMAIL': 'email address',
    'entity.PHONE': 'phone number',
    'entity.CN_MOBILE': 'Chinese mobile number',
    'entity.CN_RESIDENT_ID': 'Chinese resident ID number',
    'entity.BANK_CARD': 'bank card number',
    'entity.IBAN': 'IBAN',
    'entity.CN_PASSPORT': 'Chinese passport number',
    'entity.US_SSN': 'US Social Security number',
    'entity.IP_ADDRESS': 'IP address',
    'entity.PERSON_NAME': 'person name',
    'entity.DATE_OF_BIRTH': 'date of birth',
    'entity.ADDRESS': 'street address',
    'entity.GEO_COORDINATE': 'geographic coordinates',
  },
  'zh-CN': {
    'entity.EMAIL': '电子邮箱',
    'entity.PHONE': '电话号码',
    'entity.CN_MOBILE': '手机号码',
    'entity.CN_RESIDENT_ID': '居民身份证号码',
    'entity.BANK_CARD': '银行卡号',
    'entity.IBAN': '国际银行账号（IBAN）',
    'entity.CN_PASSPORT': '中国护照号码',
    'entity.US_SSN': '美国社会安全号码',
    'entity.IP_ADDRESS': 'IP 地址',
    'entity.PERSON_NAME': '姓名',
    'entity.DATE_OF_BIRTH': '出生日期',
    'entity.ADDRESS': '地址',
    'entity.GEO_COORDINATE': '地理坐标',
  },
});
