import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { crisisResource, type CrisisResource } from '../../shared/index.js';
import { ConfigError } from '../errors.js';

/** @default the 988 Suicide & Crisis Lifeline and the SAMHSA National Helpline (US). */
export const DEFAULT_RESOURCES: CrisisResource[] = [
  {
    name: '988 Suicide & Crisis Lifeline',
    contact: 'Call or text 988',
    description: 'Free, confidential support 24/7 for anyone in distress, including thoughts of suicide or a substance use crisis.',
  },
  {
    name: 'SAMHSA National Helpline',
    contact: '1-800-662-4357',
    description: 'Free, confidential treatment referral and information 24/7, in English and Spanish.',
  },
];

/** The resources from CRISIS_RESOURCES_FILE (a JSON array), or the defaults. */
export function loadResources(path?: string): CrisisResource[] {
  if (!path) return DEFAULT_RESOURCES;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new ConfigError('invalid CRISIS_RESOURCES_FILE: not a readable JSON file');
  }
  const resources = z.array(crisisResource).min(1).safeParse(parsed);
  if (!resources.success) throw new ConfigError('invalid CRISIS_RESOURCES_FILE: expected [{ name, contact, description }, …]');
  return resources.data;
}
