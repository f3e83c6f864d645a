import { readFileSync } from 'node:fs';
import { crisisResourceSets, type CrisisResourceSets, type SafetyResources } from '../../shared/index.js';
import { ConfigError } from '../errors.js';

/**
 * @default the 988 Suicide & Crisis Lifeline, the Crisis Text Line and the SAMHSA National
 * Helpline (US), in English and in Spanish. Only what these services publish: 988 answers calls
 * and texts, in Spanish by pressing 2 or texting AYUDA; the Crisis Text Line takes HOME, and AYUDA
 * for Spanish, at 741741; SAMHSA answers 1-800-662-4357 in English and Spanish.
 */
export const DEFAULT_RESOURCE_SETS: CrisisResourceSets = {
  en: [
    {
      name: '988 Suicide & Crisis Lifeline',
      contact: 'Call or text 988',
      description: 'Free, confidential support 24/7 for anyone in distress, including thoughts of suicide or a substance use crisis.',
      call: '988',
      text: '988',
      url: 'https://988lifeline.org',
    },
    {
      name: 'Crisis Text Line',
      contact: 'Text HOME to 741741',
      description: 'Free, confidential support by text message, 24/7, with a trained crisis counselor.',
      text: '741741',
      textBody: 'HOME',
    },
    {
      name: 'SAMHSA National Helpline',
      contact: '1-800-662-4357',
      description: 'Free, confidential treatment referral and information 24/7, in English and Spanish.',
      call: '+18006624357',
    },
  ],
  es: [
    {
      name: '988 Línea de Prevención del Suicidio y Crisis',
      contact: 'Llama al 988 y marca 2, o envía AYUDA por mensaje de texto al 988',
      description:
        'Apoyo gratuito y confidencial en español, las 24 horas, para cualquier persona en crisis, incluidos pensamientos de suicidio o una crisis por consumo de sustancias.',
      call: '988',
      text: '988',
      textBody: 'AYUDA',
    },
    {
      name: 'Crisis Text Line en español',
      contact: 'Envía AYUDA por mensaje de texto al 741741',
      description: 'Apoyo gratuito y confidencial por mensaje de texto, las 24 horas, con un consejero capacitado.',
      text: '741741',
      textBody: 'AYUDA',
    },
    {
      name: 'Línea Nacional de Ayuda de SAMHSA',
      contact: '1-800-662-4357',
      description: 'Información y referidos a tratamiento, gratuitos y confidenciales, las 24 horas, en español y en inglés.',
      call: '+18006624357',
    },
  ],
};

/**
 * The resources from CRISIS_RESOURCES_FILE (JSON `{ en: [...], es: [...] }`, each resource as in
 * shared/schemas/safety.ts), or the defaults, as `safety:resources` carries them. Anything else
 * is refused before the node starts: a number with letters or a non-https link would otherwise
 * reach someone in crisis as a broken or unsafe link.
 */
export function loadResources(path?: string): SafetyResources {
  const sets = path ? readSets(path) : DEFAULT_RESOURCE_SETS;
  return { resources: sets.en, sets };
}

function readSets(path: string): CrisisResourceSets {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new ConfigError('invalid CRISIS_RESOURCES_FILE: not a readable JSON file');
  }
  const sets = crisisResourceSets.safeParse(parsed);
  if (!sets.success) {
    const first = sets.error.issues[0];
    const where = first?.path.length ? `${first.path.join('.')}: ` : '';
    throw new ConfigError(
      `invalid CRISIS_RESOURCES_FILE: ${where}${first?.message ?? 'invalid'} (expected { en: [...], es: [...] } of { name, contact, description, call?, text?, textBody?, url? })`,
    );
  }
  return sets.data;
}
