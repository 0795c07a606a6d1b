/** Helpers for the notes specs: writing a rich note through the UI, and the notes part of window.commonboard. */
import type { Browser } from '@playwright/test';
import { expect } from './fixtures';
import { BoardPage, type Point } from './fixtures/board-page';

export type NoteInfo = { id: string; color: string; text: string; html: string };
type NotesApi = { getNotes(): NoteInfo[]; getEditingNote(): string | null };

export const notes = (user: BoardPage): Promise<NoteInfo[]> => user.page.evaluate(() => (window.commonboard as unknown as NotesApi).getNotes());

export const editingNote = (user: BoardPage): Promise<string | null> => user.page.evaluate(() => (window.commonboard as unknown as NotesApi).getEditingNote());

/** The stored shape of a note (h grows with the content). */
export async function noteShape(user: BoardPage, id: string) {
  const shape = (await user.shapes()).find((s) => s.id === id);
  if (!shape) throw new Error(`no shape ${id}`);
  return shape;
}

/** A user in a fresh browser context on a board the fixtures do not track (closed by the caller). */
export async function openOn(browser: Browser, editUrl: string, name: string): Promise<BoardPage> {
  const user = new BoardPage(await (await browser.newContext()).newPage(), name);
  await user.open(editUrl);
  return user;
}

/** The rich content the helper below types: a bold word, then a bullet list from markdown input. */
export const RICH_HTML = /<p><strong>Plan<\/strong><\/p><ul><li><p>item one<\/p><\/li><\/ul>/;

/** Creates a note with the note tool and types RICH_HTML's content into it; returns its id. */
export async function writeRichNote(user: BoardPage, from: Point, to: Point): Promise<string> {
  const before = new Set((await notes(user)).map((n) => n.id));
  await user.selectTool('note');
  await user.drag(from, to);
  const editor = user.page.getByTestId('note-editor');
  await expect(editor).toBeFocused();
  const kb = user.page.keyboard;
  const id = await editingNote(user);
  // bold on, type, bold off (a ctrl+a selection is not reliably collapsed by End in Chromium)
  await kb.press('Control+b');
  await kb.type('Plan');
  await kb.press('Control+b');
  await expect.poll(async () => (await notes(user)).find((n) => n.id === id)?.html).toBe('<p><strong>Plan</strong></p>');
  await kb.press('Enter');
  await kb.type('- item one');
  await expect(editor.locator('ul li')).toContainText('item one');
  await kb.press('Escape');
  await expect(editor).toHaveCount(0);
  if (!id || before.has(id)) throw new Error('no note was created');
  await expect.poll(async () => (await notes(user)).find((n) => n.id === id)?.html).toMatch(RICH_HTML);
  return id;
}
