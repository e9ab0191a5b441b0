import { describe, expect, it } from 'vitest';
import { decodeAvroValue, decodeConnectValue, decodeLogical, decodeSchemaEnvelope, epochToIso, unscaledToDecimal, wkbPointToText } from './logical-types.js';

/** WKB of POINT(x y), little-endian, as MySQL/Debezium write it. */
function wkbPoint(x: number, y: number): string {
  const b = new DataView(new ArrayBuffer(21));
  b.setUint8(0, 1);
  b.setUint32(1, 1, true);
  b.setFloat64(5, x, true);
  b.setFloat64(13, y, true);
  return btoa(String.fromCharCode(...new Uint8Array(b.buffer)));
}

describe('Debezium and Kafka Connect logical types', () => {
  it.each([
    ['io.debezium.time.Date', 7378, undefined, '1990-03-15'],
    ['org.apache.kafka.connect.data.Date', 0, undefined, '1970-01-01'],
    ['io.debezium.time.Timestamp', 637459200000, undefined, '1990-03-15T00:00:00Z'],
    ['io.debezium.time.MicroTimestamp', 637459200123456, undefined, '1990-03-15T00:00:00.123Z'],
    ['io.debezium.time.NanoTimestamp', '637459200000000000', undefined, '1990-03-15T00:00:00Z'],
    ['org.apache.kafka.connect.data.Timestamp', 1700000000000, undefined, '2023-11-14T22:13:20.000Z'],
    ['io.debezium.time.ZonedTimestamp', '2020-01-01T08:00:00+08:00', undefined, '2020-01-01T08:00:00+08:00'],
    // 39.904200 with scale 6 is the unscaled 39904200 = 0x0260E3C8.
    ['org.apache.kafka.connect.data.Decimal', 'AmDjyA==', { scale: '6' }, '39.904200'],
    // Two's complement: -116.407400 is -116407400 = 0xF90FC398.
    ['org.apache.kafka.connect.data.Decimal', '+Q/DmA==', { scale: '6' }, '-116.407400'],
  ])('%s %o → %s', (name, value, params, text) => expect(decodeLogical(name, value, params)).toBe(text));

  it('VariableScaleDecimal and geometry (Point struct, WKB)', () => {
    expect(decodeLogical('io.debezium.data.VariableScaleDecimal', { scale: 2, value: 'MDk=' })).toBe('123.45');
    expect(decodeLogical('io.debezium.data.geometry.Point', { x: 116.4074, y: 39.9042, wkb: wkbPoint(116.4074, 39.9042) })).toBe('POINT(116.4074 39.9042)');
    expect(decodeLogical('io.debezium.data.geometry.Geometry', { wkb: wkbPoint(-0.1276, 51.5072), srid: 4326 })).toBe('POINT(-0.1276 51.5072)');
    expect(wkbPointToText(new Uint8Array([1, 2, 0, 0, 0]))).toBeUndefined(); // a linestring header, too short
  });

  it('leaves values of unknown or absent logical types as they are', () => {
    expect(decodeLogical('io.debezium.data.Json', '{"a":1}')).toBeUndefined();
    expect(decodeLogical('org.apache.kafka.connect.data.Decimal', '%%%', { scale: '2' })).toBeUndefined();
    expect(epochToIso('not a number', 'ms')).toBeUndefined();
    expect(unscaledToDecimal(new Uint8Array([0x05]), 3)).toBe('0.005');
  });

  it('decodes a whole Debezium JSON-converter envelope from its schema (before/after structs)', () => {
    const row = { schema: { type: 'struct', name: 'users.Value', fields: [
      { field: 'id', type: 'int64' },
      { field: 'birth_date', type: 'int32', name: 'io.debezium.time.Date', optional: true },
      { field: 'lat', type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '6' } },
    ] } };
    const message = {
      schema: { type: 'struct', fields: [{ ...row.schema, field: 'before', optional: true }, { ...row.schema, field: 'after', optional: true }, { field: 'op', type: 'string' }] },
      payload: { before: null, after: { id: 1, birth_date: 7378, lat: 'AmDjyA==' }, op: 'c' },
    };
    expect(decodeSchemaEnvelope(message)).toEqual({ before: null, after: { id: 1, birth_date: '1990-03-15', lat: '39.904200' }, op: 'c' });
    expect(decodeConnectValue({ type: 'array', items: { type: 'int32', name: 'io.debezium.time.Date' } }, [0, 1])).toEqual(['1970-01-01', '1970-01-02']);
    expect(decodeSchemaEnvelope({ plain: true })).toEqual({ plain: true });
  });

  it('decodes Avro values from the schema: connect.name, logicalType, unions and named types used again by name', () => {
    const value = { type: 'record', name: 'Value', namespace: 'shop.users', fields: [
      { name: 'birth_date', type: ['null', { type: 'int', 'connect.name': 'io.debezium.time.Date' }] },
      { name: 'created', type: { type: 'long', logicalType: 'timestamp-micros' } },
      { name: 'price', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
    ] };
    const schema = { type: 'record', name: 'Envelope', fields: [{ name: 'before', type: ['null', value] }, { name: 'after', type: ['null', 'Value'] }] };
    const decoded = decodeAvroValue(schema, { before: null, after: { birth_date: 7378, created: 637459200000000, price: Uint8Array.from([0x30, 0x39]) } });
    expect(decoded).toEqual({ before: null, after: { birth_date: '1990-03-15', created: '1990-03-15T00:00:00Z', price: '123.45' } });
  });
});
