/**
 * Seed 001's manifests (../shared/seeds/001_dcca4c5be711287f.txt), kept as YAML in test/declare/seed-001/
 * because the seeds live outside the repository: every AWSProvider, Secret and IAMRole example as the
 * seed prints it, with the indentation its text lost restored.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../e2e/harness.js';

export const SEED_001_DIR = join(REPO_ROOT, 'test', 'declare', 'seed-001');

/** Path of one seed fixture file. */
export function seedFile(name: string): string {
  return join(SEED_001_DIR, name);
}

/** Text of one seed fixture file. */
export function seedText(name: string): string {
  return readFileSync(seedFile(name), 'utf8');
}

/** Every seed fixture file name. */
export function seedFiles(): string[] {
  return readdirSync(SEED_001_DIR).filter((name) => name.endsWith('.yaml')).sort();
}
