/** The last used style, remembered across visits (localStorage; validated, it is user-editable). */
import { DEFAULT_STYLE, type ShapeStyle } from '@/lib/board';
import { styleSchema } from '@/lib/io/shape-schema';

export const STYLE_KEY = 'commonboard:style';

export function loadStyle(): ShapeStyle {
  try {
    const raw = localStorage.getItem(STYLE_KEY);
    const parsed = raw ? styleSchema.partial().safeParse(JSON.parse(raw)) : null;
    return parsed?.success ? { ...DEFAULT_STYLE, ...parsed.data } : DEFAULT_STYLE;
  } catch {
    return DEFAULT_STYLE; // storage unavailable or corrupt JSON
  }
}

export function saveStyle(style: ShapeStyle): void {
  try {
    localStorage.setItem(STYLE_KEY, JSON.stringify(style));
  } catch {
    // storage unavailable (private mode, quota): remembering is a convenience
  }
}
