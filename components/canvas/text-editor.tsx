'use client';

/**
 * In-place editor for a text shape: a textarea laid over the shape. Every keystroke writes the text
 * (peers see it live); the whole edit is one undo step (the gesture opened by the tool or the
 * double click is ended here). An edit that ends empty deletes the shape.
 */
import { useEffect, useRef, useState } from 'react';
import { deleteShapes, getShape } from '@/lib/board';
import { boardToScreen } from '@/lib/ui/camera';
import { inkFor, useThemeStore } from '@/lib/ui/theme';
import { useUiStore } from '@/lib/ui/ui-store';
import { setText } from './creating';
import { useEditorStore } from './editor-store';
import { FONT_FAMILY, LINE_HEIGHT } from '@/lib/render/style';

export function TextEditor() {
  const editingId = useEditorStore((s) => s.editingText);
  const editor = useEditorStore((s) => s.editor);
  const camera = useUiStore((s) => s.camera);
  const theme = useThemeStore((s) => s.theme);
  const ref = useRef<HTMLTextAreaElement>(null);
  const shape = editor && editingId ? getShape(editor.board, editingId) : null;
  const [value, setValue] = useState('');
  const [forId, setForId] = useState<string | null>(null);
  if (shape?.type === 'text' && forId !== shape.id) {
    // a new edit session: start from the stored text (state set during render, React's documented pattern)
    setForId(shape.id);
    setValue(shape.text);
  }

  useEffect(() => {
    if (editingId) ref.current?.focus();
  }, [editingId]);

  if (!editor || !editingId || !shape || shape.type !== 'text') return null;
  const fontSize = shape.style.fontSize;
  const stop = () => {
    if (value.trim() === '') deleteShapes(editor.board, [shape.id]);
    editor.history.endGesture();
    useEditorStore.getState().stopTextEdit();
    setForId(null);
  };
  const pos = boardToScreen(camera, shape);
  return (
    <textarea
      ref={ref}
      data-testid="text-editor"
      value={value}
      spellCheck={false}
      onChange={(e) => {
        setValue(e.target.value);
        setText(editor, shape.id, e.target.value, fontSize);
      }}
      onBlur={stop}
      onKeyDown={(e) => {
        e.stopPropagation(); // canvas shortcuts must not fire while typing
        if (e.key === 'Escape' || (e.key === 'Enter' && (e.ctrlKey || e.metaKey))) e.currentTarget.blur();
      }}
      className="absolute resize-none overflow-hidden border-none bg-transparent p-0 outline-none"
      style={{
        left: pos.x,
        top: pos.y,
        width: Math.max(shape.w + fontSize, 40) * camera.zoom,
        height: Math.max(shape.h, fontSize * LINE_HEIGHT) * camera.zoom,
        fontSize: fontSize * camera.zoom,
        lineHeight: LINE_HEIGHT,
        fontFamily: FONT_FAMILY,
        color: inkFor(shape.style.stroke, theme),
        // shapes turn about their centre (the canvas draws them so)
        transform: `rotate(${shape.rotation}rad)`,
        transformOrigin: `${(shape.w / 2) * camera.zoom}px ${(shape.h / 2) * camera.zoom}px`,
        whiteSpace: 'pre',
      }}
    />
  );
}
