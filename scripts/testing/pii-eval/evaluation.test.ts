import { describe, expect, it } from 'vitest';
import { classifyField, evaluateColumns, evaluateCorpus } from '../../../shared/core/pii/index.js';
import { loadLabelledColumns, loadTestVectors } from './index.js';

/**
 * The bar on public third-party data: recall ≥ 0.95 and precision ≥ 0.98 for every entity,
 * decoys unflagged. Figures are printed by `npm run bench -- pii`; this test holds the floors.
 */
const RECALL_FLOOR = 0.95;
const PRECISION_FLOOR = 0.98;

describe('PII accuracy on public sample databases (sakila, classicmodels, northwind, macrozheng/mall) and datasets (OpenFlights airports, California housing)', () => {
  const columns = loadLabelledColumns();
  const { scores, outcomes } = evaluateColumns(columns);

  it('covers the entities an auditor checks first, each on several real columns', () => {
    const support = Object.fromEntries(scores.map((s) => [s.entity, s.support]));
    expect(support.PERSON_NAME).toBeGreaterThanOrEqual(15);
    expect(support.ADDRESS).toBeGreaterThanOrEqual(10);
    expect(support.PHONE).toBeGreaterThanOrEqual(8);
    for (const e of ['EMAIL', 'CN_MOBILE', 'DATE_OF_BIRTH']) expect(support[e]).toBeGreaterThanOrEqual(2);
    expect(support.GEO_COORDINATE).toBeGreaterThanOrEqual(4);
    expect(columns.filter((c) => c.label === null).length).toBeGreaterThanOrEqual(100);
  });

  it.each(['PERSON_NAME', 'ADDRESS', 'PHONE', 'EMAIL', 'CN_MOBILE', 'DATE_OF_BIRTH', 'IP_ADDRESS', 'GEO_COORDINATE'])('%s meets the recall and precision floors', (entity) => {
    const s = scores.find((x) => x.entity === entity)!;
    const misses = outcomes.filter((o) => (o.label === entity && !o.predicted.includes(entity)) || (o.label !== entity && o.predicted.includes(entity))).map((o) => o.id);
    expect({ entity, recall: s.recall >= RECALL_FLOOR, precision: s.precision >= PRECISION_FLOOR, misses })
      .toEqual({ entity, recall: true, precision: true, misses: expect.any(Array) });
  });

  it('no decoy column gets any verdict (tier names, brands, company names, film titles, usernames, free text)', () => {
    const flagged = outcomes.filter((o) => o.label === null && o.predicted.length > 0).map((o) => `${o.id} → ${o.predicted.join(',')}`);
    expect(flagged).toEqual([]);
    for (const id of ['mall.ums_member_level.name', 'mall.pms_brand.name', 'classicmodels.customers.customerName', 'sakila.film.title', 'mall.ums_member.username', 'northwind.orders.ship_name']) {
      expect(outcomes.find((o) => o.id === id)?.predicted).toEqual([]);
    }
  });

  it('finds coordinates beside numbers that look like them, and flags none of those (incomes, time zones, prices, ratios)', () => {
    const geo = outcomes.filter((o) => o.label === 'GEO_COORDINATE');
    expect(geo.map((o) => o.id).sort()).toEqual(['california-housing.housing.latitude', 'california-housing.housing.longitude', 'openflights.airports.Latitude', 'openflights.airports.Longitude']);
    for (const o of geo) expect({ id: o.id, predicted: o.predicted }).toEqual({ id: o.id, predicted: ['GEO_COORDINATE'] });
    const numericDecoys = ['california-housing.housing.median_income', 'california-housing.housing.housing_median_age', 'openflights.airports.Timezone', 'openflights.airports.Altitude', 'classicmodels.products.MSRP', 'mall.pms_product_ladder.discount', 'sakila.film.rental_rate'];
    for (const id of numericDecoys) expect({ id, predicted: outcomes.find((o) => o.id === id)?.predicted }).toEqual({ id, predicted: [] });
  });

  it('a verdict says which recognizer, which field context and which validation raised it, and never shows a raw value', () => {
    const col = columns.find((c) => c.id === 'classicmodels.customers.contactLastName')!;
    const [verdict] = classifyField(col.values, { fieldName: col.fieldName, container: col.container });
    expect(verdict.entity).toBe('PERSON_NAME');
    expect(verdict.basis).toMatchObject({ recognizer: 'builtin', fieldContext: 'name-hint', field: 'contactLastName', inText: 0 });
    expect(verdict.basis.validation).toMatch(/first name/);
    for (const ex of verdict.examples) expect(col.values).not.toContain(ex);
    const phone = columns.find((c) => c.id === 'mall.oms_order.receiver_phone')!;
    const [mobile] = classifyField(phone.values, { fieldName: phone.fieldName, region: phone.region });
    expect(mobile.basis).toMatchObject({ fieldContext: 'name-hint', country: 'CN' });
  });
});

describe('PII accuracy on standards test vectors (python-stdnum IBAN registry and GB 11643, braintree card numbers)', () => {
  const scores = evaluateCorpus(loadTestVectors());
  it.each(['IBAN', 'CN_RESIDENT_ID', 'BANK_CARD'])('%s meets the floors, with and without a field hint, invalid numbers rejected', (entity) => {
    const s = scores.find((x) => x.entity === entity)!;
    expect(s.support).toBeGreaterThan(0);
    expect({ recall: s.recall >= RECALL_FLOOR, precision: s.precision >= PRECISION_FLOOR }).toEqual({ recall: true, precision: true });
  });
});
