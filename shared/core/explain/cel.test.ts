import { describe, expect, it } from 'vitest';
import { describeCel } from './cel.js';

describe('describeCel', () => {
  it.each([
    { rule: 'self == oldSelf', en: 'cannot be changed once set', zh: '一经设置便不可更改' },
    { rule: 'has(self.chart) || has(self.chartRef)', en: 'at least one of chart, chartRef must be set', zh: 'chart、chartRef 中至少要设置一个' },
    { rule: '(has(self.chart) && !has(self.chartRef)) || (!has(self.chart) && has(self.chartRef))', en: 'exactly one of chart and chartRef must be set', zh: 'chart 与 chartRef 必须设置且只能设置其中一个' },
    { rule: '!has(self.configMapRef) || !has(self.secretRef)', en: 'configMapRef and secretRef cannot both be set', zh: 'configMapRef 与 secretRef 不能同时设置' },
    { rule: "!has(self.retryInterval) || self.name != 'RemediateOnFailure'", en: "if retryInterval is set, name must not equal 'RemediateOnFailure'", zh: "如果设置了 retryInterval，则 name 不得等于 'RemediateOnFailure'" },
    { rule: 'self.minReplicas <= self.maxReplicas', en: 'minReplicas must be at most maxReplicas', zh: 'minReplicas 不得大于 maxReplicas' },
    { rule: 'size(self.items) <= 10', en: 'items may hold at most 10 items or characters', zh: 'items 的元素或字符数不得超过 10' },
  ])('$rule', ({ rule, en, zh }) => {
    expect(describeCel(rule, 'en')).toBe(en);
    expect(describeCel(rule, 'zh-CN')).toBe(zh);
  });

  it('says so, rather than guessing, for a rule of another form', () => {
    expect(describeCel("self.all(x, x.matches('^[a-z]+$'))", 'en')).toMatch(/another form/);
    expect(describeCel("self.all(x, x.matches('^[a-z]+$'))", 'zh-CN')).toMatch(/其他形式的规则/);
  });
});
