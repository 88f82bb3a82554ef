// Issue 12 "prove it stays that way": every network- or user-facing parser under fast-check, a few
// thousand cases per run in all (properties and their counts in bench/fuzz/properties.ts; `npm run fuzz`
// runs them at nightly size).
import { test } from 'node:test';
import { FUZZ_PROPERTIES } from '../../bench/fuzz/properties.js';

const RUNS = 400;

for (const property of FUZZ_PROPERTIES) {
  test(`fuzz (issue 12): ${property.name}`, () => property.check(RUNS));
}
