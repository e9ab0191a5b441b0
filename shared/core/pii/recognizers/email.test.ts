import { describe, expect, it } from 'vitest';
import { matchesRecognizer } from '../compile.js';
import { emailRecognizer } from './email.js';

describe('EMAIL recognizer', () => {
  it.each([
    ['john.smith@example.com'],
    ['J.Doe+news@mail.example.cn'],
    ['wang_wei88@corp.example.co.uk'],
  ])('accepts %s', (value) => expect(matchesRecognizer(emailRecognizer, value)).toBe(true));

  it.each([
    ['john.smith@', 'no domain'],
    ['@example.com', 'no local part'],
    ['john..smith@example.com', 'double dot in local part (RFC 5322 dot-atom)'],
    ['.john@example.com', 'local part starts with a dot'],
    ['john@example', 'no top-level domain'],
    ['john smith@example.com', 'space inside'],
    ['a@b@example.com', 'two @'],
    ['contact us at john@example.com', 'free text, not a field value'],
  ])('rejects %s (%s)', (value) => expect(matchesRecognizer(emailRecognizer, value)).toBe(false));
});
