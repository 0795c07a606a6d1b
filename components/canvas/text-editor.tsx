'use client';

/**
 * In-place editor for a text shape: a textarea laid over the shape. Every keystroke writes the text
 * (peers see it live) through the editor, which owns the edit: it is one undo step, and an edit
 * that ends empty deletes the shape (Editor.stopEditing).
 */
import { useEffect, useRef, useState } from 'react';
import { getShape } from '@/lib/board';
import { boardToScreen } from '@/lib/ui/camera';
import { inkFor, useThemeStore } from '@/lib/ui/theme';
import { useUiStore } from '@/lib/ui/ui-store';
import { editingText, useEditorStore } from '../editor/editor-store';
import { FONT_FAMILY, LINE_HEIGHT } from '@/lib/render/style';

export function TextEditor() {
  const editingId = useEditorStore(editingText);
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
    if (editor.getEditing()?.id === shape.id) editor.stopEditing();
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
        editor.setText(shape.id, e.target.value, fontSize);
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
