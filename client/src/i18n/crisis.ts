// The crisis dialog's own words, in both languages and always in the first load: help must open
// at once, in either language, even when the Spanish catalogue cannot be fetched. The resources
// themselves (names, numbers) come from the server's config (§7), not from here.
import type { Lang } from './i18n.js';

const en = {
  crisisTitle: 'You don’t have to go through this alone',
  crisisIntro:
    'It sounds like things may be really hard right now. Your message was sent to your group as usual. If you are thinking about hurting yourself, or might be in danger, please reach out now. These people are there for you, any time, day or night:',
  helpTitle: 'Help now',
  helpIntro:
    'If you are thinking about hurting yourself, or might be in danger, please reach out now. These people are there for you, any time, day or night:',
  missing: 'The list of helplines could not be loaded right now.',
  emergency: 'If your life is in immediate danger, call your local emergency number.',
  checkIn: 'A facilitator from your program may also check in with you.',
  close: 'Close',
  call: (n: string) => `Call ${n}`,
  text: (n: string, body?: string) => (body ? `Text ${body} to ${n}` : `Text ${n}`),
  visit: (host: string) => `Visit ${host}`,
};

export type CrisisWords = typeof en;

export const CRISIS_WORDS: Record<Lang, CrisisWords> = {
  en,
  es: {
    crisisTitle: 'No tienes que pasar por esto a solas',
    crisisIntro:
      'Parece que las cosas pueden estar muy difíciles ahora. Tu mensaje se envió como siempre. Si estás pensando en hacerte daño, o podrías estar en peligro, busca ayuda ahora. Estas personas están para ti, a cualquier hora, de día o de noche:',
    helpTitle: 'Ayuda ahora',
    helpIntro:
      'Si estás pensando en hacerte daño, o podrías estar en peligro, busca ayuda ahora. Estas personas están para ti, a cualquier hora, de día o de noche:',
    missing: 'No se pudo cargar la lista de líneas de ayuda en este momento.',
    emergency: 'Si tu vida corre peligro inmediato, llama al número de emergencias local.',
    checkIn: 'Es posible que alguien de tu programa también se comunique contigo.',
    close: 'Cerrar',
    call: (n: string) => `Llamar al ${n}`,
    text: (n: string, body?: string) => (body ? `Enviar ${body} al ${n}` : `Enviar un mensaje al ${n}`),
    visit: (host: string) => `Visitar ${host}`,
  },
};

/** The dialog's language switch is named in both languages: it is how someone finds theirs. */
export const CRISIS_LANG_LABEL = 'Language / Idioma';
