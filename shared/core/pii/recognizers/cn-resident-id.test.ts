import { describe, expect, it } from 'vitest';
import { matchesRecognizer } from '../compile.js';
import { cnResidentIdRecognizer } from './cn-resident-id.js';

describe('CN_RESIDENT_ID recognizer (GB 11643-1999)', () => {
  it.each([
    ['11010519491231002X', 'the standard\'s own example'],
    ['11010519491231002x', 'lowercase check character as data often has it'],
    ['440305199003071236', 'Shenzhen, 1990-03-07, check digit 6'],
    ['110105 19491231 002X', 'spaced between the parts'],
    ['320102200002290013', 'born on a leap day (2000 is a leap year)'],
  ])('accepts %s (%s)', (value) => expect(matchesRecognizer(cnResidentIdRecognizer, value)).toBe(true));

  it.each([
    ['110105194912310021', 'check character changed from X to 1'],
    ['440305199003071235', 'check digit changed from 6 to 5'],
    ['110105194902300020', 'February 30 is not a date (check digit recomputed)'],
    ['320102190002290017', '1900 is not a leap year (check digit recomputed)'],
    ['990105194912310023', 'province 99 does not exist (check digit recomputed)'],
    ['110105185012310011', 'born in 1850: outside 1900..today (check digit recomputed)'],
    ['110105209912310010', 'born in 2099: in the future (check digit recomputed)'],
    ['11010519491231002', '17 characters'],
    ['1101051949123100200', '19 characters'],
    ['11010519491231002Y', 'Y is not a check character'],
  ])('rejects %s (%s)', (value) => expect(matchesRecognizer(cnResidentIdRecognizer, value)).toBe(false));
});
