'use client';

/**
 * Keeps a note the editor cannot open from taking the board down. A raw peer can write structures
 * into a note's fragment that no editor schema accepts (y-prosemirror then throws while rendering);
 * without a boundary React would unmount the whole board. The note closes instead and stays
 * readable through its preview and the canvas.
 */
import { Component, type ReactNode } from 'react';

type Props = { onError: () => void; children: ReactNode };

export class NoteEditorBoundary extends Component<Props, { failed: boolean }> {
  state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  componentDidCatch(error: unknown): void {
    console.error('note editor failed, closing the note', error);
    this.props.onError();
  }

  render(): ReactNode {
    return this.state.failed ? null : this.props.children;
  }
}
