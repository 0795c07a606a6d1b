'use client';

/**
 * Selection actions of images: retry a failed upload (any selected image whose upload failed here),
 * and for one selected, unlocked image its alt text and crop. Every change goes through the editor
 * (editor.run + lib/board's setImageAlt / setImageCrop): one undo step each.
 */
import { useState } from 'react';
import { setImageAlt, setImageCrop, type ImageShape } from '@/lib/board';
import type { FileId } from '@/lib/files/file-contract';
import { useUiStore } from '@/lib/ui/ui-store';
import { fileService } from '../files/file-service';
import { useFileStore } from '../files/file-store';
import type { Editor } from '../editor/types';

const BUTTON = 'h-8 rounded-lg px-2 text-xs font-medium text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-700';
const INPUT = 'h-7 rounded border border-slate-300 bg-white px-1 text-xs text-slate-800 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100';

/** Percent trimmed from each side, the crop dialog's unit (natural pixels are what is stored). */
type Trim = { left: number; top: number; right: number; bottom: number };

function trimOf(s: ImageShape): Trim {
  const c = s.crop ?? { x: 0, y: 0, w: s.naturalWidth, h: s.naturalHeight };
  const pct = (v: number, of: number) => Math.round((v / of) * 1000) / 10;
  return { left: pct(c.x, s.naturalWidth), top: pct(c.y, s.naturalHeight), right: pct(s.naturalWidth - c.x - c.w, s.naturalWidth), bottom: pct(s.naturalHeight - c.y - c.h, s.naturalHeight) };
}

function cropOf(s: ImageShape, t: Trim) {
  const clamp = (v: number) => Math.min(99, Math.max(0, Number.isFinite(v) ? v : 0));
  const left = clamp(t.left);
  const top = clamp(t.top);
  const right = Math.min(clamp(t.right), 99 - left);
  const bottom = Math.min(clamp(t.bottom), 99 - top);
  const x = (left / 100) * s.naturalWidth;
  const y = (top / 100) * s.naturalHeight;
  const w = Math.max(1, s.naturalWidth - x - (right / 100) * s.naturalWidth);
  const h = Math.max(1, s.naturalHeight - y - (bottom / 100) * s.naturalHeight);
  return { x, y, w: Math.min(w, s.naturalWidth - x), h: Math.min(h, s.naturalHeight - y) };
}

export function ImageActions({ editor }: { editor: Editor }) {
  const selection = useUiStore((s) => s.selection);
  const uploads = useFileStore((s) => s.uploads);
  const images = selection.map((id) => editor.cache.get(id)).filter((s): s is ImageShape => s?.type === 'image');
  if (images.length === 0) return null;
  const failed = images.filter((s) => uploads[s.fileId]?.state === 'failed');
  const one = images.length === 1 && selection.length === 1 && !images[0].locked && editor.editable() ? images[0] : null;
  return (
    <>
      {failed.length > 0 ? (
        <button
          type="button"
          data-testid="image-retry"
          title="Upload failed — retry"
          className={`${BUTTON} text-red-700 dark:text-red-400`}
          onClick={() => {
            for (const s of failed) fileService()?.retry(s.fileId as FileId);
          }}
        >
          Retry upload
        </button>
      ) : null}
      {one ? <OneImage key={one.id} editor={editor} image={one} /> : null}
    </>
  );
}

function OneImage({ editor, image }: { editor: Editor; image: ImageShape }) {
  const [alt, setAlt] = useState(image.alt);
  const [cropping, setCropping] = useState(false);
  const [trim, setTrim] = useState<Trim>(() => trimOf(image));
  const saveAlt = () => {
    if (alt !== image.alt) editor.run(() => setImageAlt(editor.board, image.id, alt));
  };
  return (
    <span className="flex items-center gap-1 border-l border-slate-200 pl-1 dark:border-slate-700">
      <label className="flex items-center gap-1 text-xs text-slate-600 dark:text-slate-300">
        Alt
        <input
          data-testid="image-alt"
          aria-label="Alt text"
          className={`${INPUT} w-36`}
          value={alt}
          maxLength={1000}
          placeholder="Describe the image"
          onChange={(e) => setAlt(e.target.value)}
          onBlur={saveAlt}
          onKeyDown={(e) => {
            if (e.key === 'Enter') e.currentTarget.blur();
            e.stopPropagation(); // typing here is not board shortcuts
          }}
        />
      </label>
      <button type="button" data-testid="image-crop" aria-expanded={cropping} className={BUTTON} onClick={() => setCropping((v) => !v)}>
        Crop
      </button>
      {cropping ? (
        <span className="flex items-center gap-1 text-xs text-slate-600 dark:text-slate-300" data-testid="image-crop-panel">
          {(['left', 'top', 'right', 'bottom'] as const).map((side) => (
            <label key={side} className="flex items-center gap-0.5" title={`Percent cut from the ${side}`}>
              {side[0].toUpperCase()}
              <input
                type="number"
                min={0}
                max={99}
                step={1}
                data-testid={`image-crop-${side}`}
                aria-label={`Crop ${side} (percent)`}
                className={`${INPUT} w-12`}
                value={trim[side]}
                onChange={(e) => setTrim((t) => ({ ...t, [side]: Number(e.target.value) }))}
                onKeyDown={(e) => e.stopPropagation()}
              />
            </label>
          ))}
          <button type="button" data-testid="image-crop-apply" className={BUTTON} onClick={() => editor.run(() => setImageCrop(editor.board, image.id, cropOf(image, trim)))}>
            Apply
          </button>
          <button
            type="button"
            data-testid="image-crop-reset"
            className={BUTTON}
            onClick={() => {
              editor.run(() => setImageCrop(editor.board, image.id, null));
              setTrim({ left: 0, top: 0, right: 0, bottom: 0 });
            }}
          >
            Reset
          </button>
        </span>
      ) : null}
    </span>
  );
}
