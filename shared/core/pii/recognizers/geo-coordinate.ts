import type { Recognizer } from '../types.js';
import { STARS } from '../mask-helpers.js';

const NUM = /[-+]?\d{1,3}\.\d+/g;

/**
 * GPS coordinates: a "lat,lng" pair (WGS 84 decimal degrees, three or more decimals so prices and
 * versions do not qualify), `POINT(lng lat)` as WKT writes it, or a single degree value in a
 * lat/lng-named column.
 */
/*
 * Decimals are capped at 17: a double printed for round trip (`%.17g`, most drivers' and JSON's
 * output) has up to 17 significant digits, so stored degrees show up to 15–16 decimals
 * (`144.29600524902344`). The cap was 10 until the OpenFlights evaluation missed such a column.
 */
export const geoCoordinateRecognizer: Recognizer = {
  entity: 'GEO_COORDINATE',
  patterns: [
    /[([]?\s*[-+]?\d{1,2}\.\d{3,17}\s*,\s*[-+]?\d{1,3}\.\d{3,17}\s*[)\]]?/,
    /POINT ?\(\s*[-+]?\d{1,3}\.\d{3,17} [-+]?\d{1,2}\.\d{3,17}\s*\)/i,
  ],
  hintedPatterns: [/[-+]?\d{1,3}\.\d{2,17}/],
  context: ['gps', 'map', 'position', 'track', 'checkin', '定位', '轨迹'],
  nameHints: [
    'lat', 'lng', 'lon', 'long', 'latitude', 'longitude', 'latlng', 'lat_lng', 'lat_lon', 'geo', 'gps', 'coord',
    'coords', 'coordinate', 'coordinates', 'location', 'geo_point', 'jingdu', 'weidu', 'jingweidu', 'zuobiao',
    '经度', '纬度', '经纬度', '坐标', '定位', '位置',
  ],
  baseConfidence: 0.75,
  threshold: 0.6,
  prefilter: (s) => s.digits >= 3 && s.dots >= 1 && s.dots <= 2 && s.length <= 60 && s.han === 0,
  validate(value) {
    const nums = (value.match(NUM) ?? []).map(Number);
    if (nums.length === 1) return Math.abs(nums[0]) <= 180;
    if (nums.length !== 2) return false;
    const [lat, lng] = /^POINT/i.test(value) ? [nums[1], nums[0]] : nums;
    return Math.abs(lat) <= 90 && Math.abs(lng) <= 180;
  },
  validation: 'latitude within ±90 and longitude within ±180 degrees',
  labels: { en: 'geographic coordinates', 'zh-CN': '地理坐标' },
  severity: 'medium',
  mask(value) {
    const nums = value.match(NUM) ?? [];
    // One decimal is about 11 km: the region stays visible, the place does not.
    return nums.map((n) => `${Number(n).toFixed(1)}*`).join(',') || STARS;
  },
  normalize(value) {
    const nums = (value.match(NUM) ?? []).map((n) => Number(n).toFixed(5));
    // WKT writes POINT(lng lat); the canonical order is lat,lng.
    return (/^POINT/i.test(value) ? nums.reverse() : nums).join(',');
  },
  source: 'builtin',
};
