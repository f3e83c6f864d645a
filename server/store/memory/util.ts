import type { Conversation } from '../../../shared/index.js';
import type { MessageDraft } from '../store.js';

/**
 * A deep copy of a message, as structuredClone would make it, by hand: every append and every
 * page copies messages, and structuredClone's generic walk was the largest single cost of a
 * memory-store join (the 50-message page).
 */
export function copyMessage<M extends MessageDraft>(m: M): M {
  const copy: M = { ...m, conversation: { ...m.conversation }, sender: { ...m.sender } };
  if (m.checkin) copy.checkin = { ...m.checkin };
  if (m.reactions) copy.reactions = Object.fromEntries(Object.entries(m.reactions).map(([emoji, ids]) => [emoji, [...ids]]));
  return copy;
}

export function memberKey(groupId: string, userId: string): string {
  return `${groupId}\n${userId}`;
}

/** The user of a memberKey in this group, or undefined when the key is another group's. */
export function userOf(groupId: string, key: string): string | undefined {
  const prefix = `${groupId}\n`;
  return key.startsWith(prefix) ? key.slice(prefix.length) : undefined;
}

export function convKey(c: Conversation): string {
  return `${c.kind}:${c.id}`;
}

export function getOrCreate<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    map.set(key, v);
  }
  return v;
}
