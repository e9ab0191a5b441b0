import { describe, expect, it } from 'vitest';
import { matchesRecognizer } from '../compile.js';
import { geoCoordinateRecognizer } from './geo-coordinate.js';

describe('GEO_COORDINATE recognizer', () => {
  it.each([
    ['39.9042,116.4074', undefined],
    ['-33.8688, 151.2093', undefined],
    ['(51.5074, -0.1278)', undefined],
    ['POINT(116.4074 39.9042)', undefined],
    ['39.904211', 'lat'],
    ['116.407394', '经度'],
    // Doubles printed for round trip (OpenFlights' airports.dat): up to 17 significant digits.
    ['144.29600524902344', 'Longitude'],
    ['-6.081689834590001', 'Latitude'],
    ['-6.081689834590001,144.29600524902344', undefined],
  ])('accepts %s (field %s)', (value, field) => expect(matchesRecognizer(geoCoordinateRecognizer, value, field)).toBe(true));

  it.each<[string, string | undefined, string]>([
    ['91.0000,116.4074', undefined, 'latitude above 90'],
    ['39.9042,181.0000', undefined, 'longitude above 180'],
    ['1,299.00', undefined, 'a price'],
    ['39.90,116.40', undefined, 'two decimals: too coarse to tell from prices without a hint'],
    ['39.904211', undefined, 'a single number without a lat/lng field name'],
    ['190.123', 'lng', 'beyond ±180'],
    ['1.2.3', 'location', 'a version string'],
  ])('rejects %s (field %s: %s)', (value, field) => expect(matchesRecognizer(geoCoordinateRecognizer, value, field)).toBe(false));
});
