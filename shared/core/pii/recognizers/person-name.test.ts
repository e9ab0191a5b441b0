import { describe, expect, it } from 'vitest';
import { matchesRecognizer } from '../compile.js';
import { personNameRecognizer } from './person-name.js';

describe('PERSON_NAME recognizer (name hint required)', () => {
  it.each([
    ['张三', 'name'],
    ['王小明', '姓名'],
    ['欧阳娜娜', 'xingming'],
    ['John Smith', 'full_name'],
    ["Mary-Jane O'Neil", 'customerName'],
    ['John F. Kennedy', 'contact_name'],
    ['ZHANG WEI', 'holder_name'],
  ])('accepts %s in field %s', (value, field) => expect(matchesRecognizer(personNameRecognizer, value, field)).toBe(true));

  it.each<[string, string | undefined, string]>([
    ['张三', undefined, 'no field name: names are not recognisable by shape alone'],
    ['John Smith', 'comment', 'field name carries no name hint'],
    ['Blue Widget', 'product_name', 'product_name is excluded'],
    ['Annual Report', 'file_name', 'file_name is excluded'],
    ['天气很好', 'name', '天 is not a common surname'],
    ['欧阳', 'name', 'a compound surname alone'],
    ['张三丰收了', 'name', 'five Han characters'],
    ['Test User', 'name', 'label words, not a person'],
    ['john smith', 'name', 'lowercase is not the First Last shape'],
    ['John', 'name', 'a single word'],
    ['Agent 007', 'name', 'digits'],
  ])('rejects %s in field %s (%s)', (value, field) => expect(matchesRecognizer(personNameRecognizer, value, field)).toBe(false));
});
