import { describe, expect, it } from 'vitest';
import { matchesHints, prepareFieldName, prepareHints, tokenizeFieldName } from './name-hints.js';

describe('field-name hints', () => {
  it('tokenizes snake, camel, dotted and acronym names', () => {
    expect(tokenizeFieldName('userIdCard')).toEqual(['user', 'id', 'card']);
    expect(tokenizeFieldName('payload.user.mobile_no')).toEqual(['payload', 'user', 'mobile', 'no']);
    expect(tokenizeFieldName('HTTPClientIP')).toEqual(['http', 'client', 'ip']);
  });

  const hints = prepareHints(['ip', 'id_card', 'shouji', 'mobile', '手机号']);
  it.each([
    ['client_ip', true],
    ['clientIp', true],
    ['idcard', true],
    ['id_card_no', true],
    ['user_idCard', true],
    ['shoujihao', true],
    ['usermobile', true],
    ['用户手机号', true],
    ['shipping_address', false], // `ip` must not fire inside `shipping`
    ['zip', false], // nor inside `zip`
    ['card_id', false], // token order matters
    ['', false],
  ])('%s matches: %s', (field, expected) => expect(matchesHints(prepareFieldName(field), hints)).toBe(expected));
});
