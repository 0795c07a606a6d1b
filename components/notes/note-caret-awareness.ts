/**
 * A view of the board's awareness for CollaborationCaret / y-prosemirror's cursor plugin. They read
 * and write the `cursor` and `user` fields; here `cursor` maps to NOTE_CARET_FIELD (presence owns
 * `cursor`, see lib/notes/note-caret.ts) and `user` comes from the validated presence state (writes
 * to it are dropped: presence publishes the user). Remote states are validated on every read.
 */
import type { Awareness } from 'y-protocols/awareness';
import { NOTE_CARET_FIELD, parseNoteCaret } from '@/lib/notes/note-caret';
import { parsePresence } from '@/lib/presence/awareness';

type CaretState = { user?: { name: string; color: string }; cursor?: unknown };
type Listener = (...args: never[]) => void;

export type CaretAwareness = {
  readonly clientID: number;
  readonly states: Map<number, CaretState>;
  getStates(): Map<number, CaretState>;
  getLocalState(): CaretState | null;
  setLocalStateField(field: string, value: unknown): void;
  on(event: 'change' | 'update', cb: Listener): void;
  off(event: 'change' | 'update', cb: Listener): void;
};

export function caretAwareness(awareness: Awareness): CaretAwareness {
  const view = (state: Record<string, unknown> | null | undefined): CaretState => {
    const presence = parsePresence(state);
    if (!presence) return {};
    return { user: { ...presence.user }, cursor: parseNoteCaret(state?.[NOTE_CARET_FIELD]) };
  };
  const getStates = () => {
    const out = new Map<number, CaretState>();
    awareness.getStates().forEach((state, clientId) => out.set(clientId, view(state)));
    return out;
  };
  return {
    get clientID() {
      return awareness.clientID;
    },
    get states() {
      return getStates();
    },
    getStates,
    getLocalState: () => {
      const local = awareness.getLocalState();
      return local ? { user: view(local).user, cursor: local[NOTE_CARET_FIELD] ?? null } : null;
    },
    setLocalStateField: (field, value) => {
      if (field === 'cursor') awareness.setLocalStateField(NOTE_CARET_FIELD, value);
    },
    // the listener signatures differ per event; the plugins pass their own, which awareness calls as is
    on: (event, cb) => awareness.on(event, cb as unknown as Parameters<Awareness['on']>[1]),
    off: (event, cb) => awareness.off(event, cb as unknown as Parameters<Awareness['off']>[1]),
  };
}
