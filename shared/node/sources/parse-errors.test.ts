import { describe, expect, it } from 'vitest';
import { describeJsonError } from './parse-errors.js';

const errorOf = (text: string): unknown => {
  try {
    JSON.parse(text);
  } catch (err) {
    return err;
  }
  throw new Error(`${text} parsed`);
};

describe('JSON errors without the input', () => {
  it.each([
    ['{"email": alice@example.com}', 'alice'],
    ['{"id_card": "11010519491231002X" "phone": 1}', '11010519491231002X'],
    ['{"token": "sk_live_4eC39HqLyjWD', 'sk_live'],
    ['["13812345678",]', '13812345678'],
  ])('describes %j without quoting it', (text, secret) => {
    const message = describeJsonError(errorOf(text));
    expect(message).not.toContain(secret);
    expect(message.length).toBeGreaterThan(5);
  });

  it('keeps the position when the engine gives one', () => {
    expect(describeJsonError(errorOf('{"a": 1 "b": 2}'))).toMatch(/at position \d+/);
  });
});
