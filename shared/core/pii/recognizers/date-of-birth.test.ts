import { describe, expect, it } from 'vitest';
import { matchesRecognizer } from '../compile.js';
import { dateOfBirthRecognizer } from './date-of-birth.js';

describe('DATE_OF_BIRTH recognizer (name hint required)', () => {
  it.each([
    ['1990-03-15', 'dob'],
    ['1990/3/15', 'birthday'],
    ['19900315', 'birth_date'],
    ['1990年3月15日', '出生日期'],
    ['15/03/1990', 'shengri'],
    ['1990-03-15 00:00:00', 'date_of_birth'],
    ['March 15, 1990', 'dob'],
    ['2000-02-29', 'dob'],
  ])('accepts %s in field %s', (value, field) => expect(matchesRecognizer(dateOfBirthRecognizer, value, field)).toBe(true));

  it.each<[string, string | undefined, string]>([
    ['1990-03-15', 'created_at', 'a date in a field that is not about birth'],
    ['1990-03-15', undefined, 'no field name'],
    ['1990-02-30', 'dob', 'February 30 does not exist'],
    ['1900-02-29', 'dob', '1900 is not a leap year'],
    ['1899-12-31', 'dob', 'before 1900'],
    ['2999-01-01', 'dob', 'in the future'],
    ['1990-13-01', 'dob', 'month 13'],
    ['1990-03/15', 'dob', 'mixed separators'],
    ['Smarch 15, 1990', 'dob', 'not a month name'],
  ])('rejects %s in field %s (%s)', (value, field) => expect(matchesRecognizer(dateOfBirthRecognizer, value, field)).toBe(false));
});
