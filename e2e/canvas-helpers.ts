/** Helpers for the canvas specs: the canvas part of window.commonboard and a few gestures. */
import type { BoardPage, Point } from './fixtures/board-page';

type XY = { x: number; y: number };
type CanvasApi = {
  getSelection(): string[];
  getTool(): string;
  getLinePoints(id: string): XY[] | null;
  getHistory(): { canUndo: boolean; canRedo: boolean };
};

export function selection(user: BoardPage): Promise<string[]> {
  return user.page.evaluate(() => (window.commonboard as unknown as CanvasApi).getSelection());
}

export function linePoints(user: BoardPage, id: string): Promise<XY[] | null> {
  return user.page.evaluate((shapeId) => (window.commonboard as unknown as CanvasApi).getLinePoints(shapeId), id);
}

/** Clicks a point of the canvas (relative to its top-left corner). */
export async function clickAt(user: BoardPage, p: Point, modifiers: ('Shift' | 'Control')[] = []): Promise<void> {
  await user.canvas.click({ position: p, modifiers });
}

/** Drags a DOM element (a selection handle) to a canvas point. */
export async function dragTestId(user: BoardPage, testId: string, to: Point): Promise<void> {
  const handle = await user.page.getByTestId(testId).boundingBox();
  const canvas = await user.canvas.boundingBox();
  if (!handle || !canvas) throw new Error(`${testId} is not visible`);
  await user.page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
  await user.page.mouse.down();
  await user.page.mouse.move(canvas.x + to.x, canvas.y + to.y, { steps: 8 });
  await user.page.mouse.up();
}

/** Draws with a tool by dragging from `from` to `to`. */
export async function drawWith(user: BoardPage, tool: string, from: Point, to: Point): Promise<void> {
  await user.selectTool(tool);
  await user.drag(from, to);
}
