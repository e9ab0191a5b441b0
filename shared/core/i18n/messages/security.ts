import { defineMessages } from '../define.js';

/** Hidden configuration values, seals and their signers, the workspace writer lock. */
export const securityMessages = defineMessages({
  en: {
    'security.valueHidden': 'value hidden',
    'security.changedValueHidden': '{path}: changed (value hidden)',
    'security.objectRef': '{object} (content not shown)',
    'security.trust.trusted': 'Trusted signer',
    'security.trust.untrusted': 'Intact, but the signer is not in your trust store',
    'security.trust.broken': 'Broken: the seal does not verify',
    'security.trust.trustedShort': 'trusted',
    'security.trust.untrustedShort': 'untrusted but intact',
    'security.trust.brokenShort': 'broken',
    'security.trust.label': 'Signer trust',
    'security.trust.selfDeclared': '{name} (self-declared name, not proof of identity)',
    'security.trust.howToTrust': 'To trust this signer, check the fingerprint with them and run: driftline snapshot trust add {fingerprint}',
  },
  'zh-CN': {
    'security.valueHidden': '值已隐藏',
    'security.changedValueHidden': '{path}：已更改（值已隐藏）',
    'security.objectRef': '{object}（不显示内容）',
    'security.trust.trusted': '受信任的签名者',
    'security.trust.untrusted': '内容完整，但签名者不在您的信任列表中',
    'security.trust.broken': '已损坏：封印校验未通过',
    'security.trust.trustedShort': '受信任',
    'security.trust.untrustedShort': '完整但未受信任',
    'security.trust.brokenShort': '已损坏',
    'security.trust.label': '签名者信任状态',
    'security.trust.selfDeclared': '{name}（自报名称，不能证明身份）',
    'security.trust.howToTrust': '如需信任此签名者，请先与对方核对指纹，然后运行：driftline snapshot trust add {fingerprint}',
  },
});
