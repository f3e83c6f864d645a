import type { HeldMessages } from '../ports.js';
import type { MessageDraft } from '../store.js';
import { getOrCreate } from './util.js';

/** Held partner messages in this process: group id → session id → queue, oldest first. */
export class MemoryHeldMessages implements HeldMessages {
  private readonly queues = new Map<string, Map<string, MessageDraft[]>>();

  async hold(groupId: string, sessionId: string, draft: MessageDraft) {
    const queue = getOrCreate(
      getOrCreate(this.queues, groupId, () => new Map<string, MessageDraft[]>()),
      sessionId,
      (): MessageDraft[] => [],
    );
    const same = (d: MessageDraft) => d.conversation.id === draft.conversation.id;
    const original = queue.find((d) => same(d) && d.sender.id === draft.sender.id && d.clientMsgId === draft.clientMsgId);
    if (!original) queue.push(structuredClone(draft));
    return { draft: structuredClone(original ?? draft), duplicate: original !== undefined, count: queue.filter(same).length };
  }

  async held(groupId: string, sessionId: string): Promise<MessageDraft[]> {
    return structuredClone(this.queues.get(groupId)?.get(sessionId) ?? []);
  }

  async dropHeld(groupId: string, sessionId: string, draftId: string): Promise<boolean> {
    const sessions = this.queues.get(groupId);
    const queue = sessions?.get(sessionId);
    if (!queue || queue[0]?.id !== draftId) return false;
    queue.shift();
    if (!queue.length) sessions!.delete(sessionId);
    return true;
  }

  async heldSessions(): Promise<{ groupId: string; sessionId: string }[]> {
    return [...this.queues].flatMap(([groupId, sessions]) => [...sessions.keys()].map((sessionId) => ({ groupId, sessionId })));
  }
}
