/** The notes part of window.commonboard (see lib/testing/test-api.ts and docs/testing.md). */
import { getNoteTree, getShape, listShapes } from '@/lib/board';
import { noteTreeToHtml } from '@/lib/notes/note-html';
import { noteTreeText } from '@/lib/notes/note-schema';
import type { NotesTestApi } from '@/lib/testing/test-api';
import { NOTE_CARET_FIELD, parseNoteCaret } from '@/lib/notes/note-caret';
import { parsePresence } from '@/lib/presence/awareness';
import { getProvider, useBoardSession } from '../session/board-session';
import { editingNote, useEditorStore } from '../editor/editor-store';

export function notesTestApi(): NotesTestApi {
  const board = () => useBoardSession.getState().board;
  return {
    getNoteText: (id) => {
      const b = board();
      const tree = b && getShape(b, id)?.type === 'note' ? getNoteTree(b, id) : null;
      return tree ? noteTreeText(tree) : null;
    },
    getNotes: () => {
      const b = board();
      if (!b) return [];
      return listShapes(b)
        .filter((s) => s.type === 'note')
        .map((s) => {
          const tree = getNoteTree(b, s.id) ?? [];
          return { id: s.id, color: s.type === 'note' ? s.color : '', text: noteTreeText(tree), html: noteTreeToHtml(tree) };
        });
    },
    getEditingNote: () => editingNote(useEditorStore.getState()),
    getNoteCarets: () => {
      const provider = getProvider();
      if (!provider) return [];
      const out: string[] = [];
      provider.awareness.getStates().forEach((state, clientId) => {
        const user = parsePresence(state)?.user;
        if (clientId !== provider.awareness.clientID && user && parseNoteCaret(state[NOTE_CARET_FIELD])) out.push(user.name);
      });
      return out.sort();
    },
  };
}
