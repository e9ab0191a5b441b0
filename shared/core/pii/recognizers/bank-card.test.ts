import { describe, expect, it } from 'vitest';
import { matchesRecognizer } from '../compile.js';
import { bankCardRecognizer } from './bank-card.js';

describe('BANK_CARD recognizer (ISO/IEC 7812, Luhn)', () => {
  it.each([
    ['4111111111111111', 'Visa test PAN'],
    ['4111 1111 1111 1111', 'grouped by spaces'],
    ['5500-0000-0000-0004', 'Mastercard, dashes'],
    ['378282246310005', 'American Express, 15 digits'],
    ['6222021234567890128', 'UnionPay 19 digits'],
    ['6217001234567893', 'UnionPay 16 digits'],
    ['3530111333300000', 'JCB'],
    ['6011111111111117', 'Discover'],
    ['2221000000000009', 'Mastercard 2-series'],
  ])('accepts %s (%s)', (value) => expect(matchesRecognizer(bankCardRecognizer, value)).toBe(true));

  it.each([
    ['4111111111111112', 'fails Luhn'],
    ['6222021234567890129', 'UnionPay prefix but fails Luhn'],
    ['1234567812345670', 'passes Luhn but no issuer uses prefix 1'],
    ['411111111111', '12 digits: too short for a PAN'],
    ['41111111111111111111', '20 digits: too long'],
    ['5500000000000000004', 'Mastercard issues only 16 digits'],
    ['620102199001011230', '18 digits shaped like a resident ID (Gansu, 1990-01-01) even though it passes Luhn'],
    ['4111-1111-1111-111a', 'contains a letter'],
  ])('rejects %s (%s)', (value) => expect(matchesRecognizer(bankCardRecognizer, value)).toBe(false));
});
