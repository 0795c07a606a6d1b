/**
 * The history panel in a real browser against a scripted version API (page.route), so the UI's own
 * cases can be set up exactly: a corrupt version, a version whose shapes differ from the live board
 * in every way, a note whose text differs. Real sync server and peers: others keep editing live
 * while a version is shown. The full flow against the real version service is e2e/history.spec.ts.
 */
import type { Page, Route } from '@playwright/test';
import { addShape, getNoteFragment, setNoteTree } from '../lib/board';
import { expect, test } from './fixtures';
import type { BoardPage } from './fixtures/board-page';
import { boardState, history, versionMeta, withPeer, type TestVersionMeta } from './history-helpers';

const paragraph = (text: string) => [{ type: 'paragraph', attrs: {}, content: [{ type: 'text', text, marks: [] }] }];

type FakeApi = { versions: TestVersionMeta[]; corrupt: number[]; states: Map<number, Uint8Array>; requests: string[] };

/** Answers the board's version endpoints from `api`; a version without a state answers 422. */
async function fakeVersionApi(page: Page, api: FakeApi): Promise<void> {
  await page.route(
    (url) => /\/api\/boards\/[^/]+\/(versions|checkpoint)/.test(url.pathname),
    async (route: Route) => {
      const req = route.request();
      const url = new URL(req.url());
      api.requests.push(`${req.method()} ${url.pathname.replace(/^\/api\/boards\/[^/]+/, '')}${url.search} ${req.headers().authorization ? 'auth' : 'no-auth'}`);
      const id = Number(url.pathname.match(/\/versions\/(\d+)/)?.[1]);
      if (req.method() === 'GET' && !id) return route.fulfill({ json: { versions: api.versions, corrupt: api.corrupt } });
      if (req.method() === 'GET') {
        const state = api.states.get(id);
        if (!state) return route.fulfill({ status: 422, json: { error: `version ${id} failed to load` } });
        return route.fulfill({ body: Buffer.from(state), contentType: 'application/octet-stream' });
      }
      if (req.method() === 'PUT') {
        const { versionId } = req.postDataJSON() as { versionId: number | null };
        for (const v of api.versions) v.checkpoint = v.id === versionId;
        return route.fulfill({ status: 204 });
      }
      return route.fulfill({ status: 405, json: { error: 'not scripted' } });
    },
  );
}

/** Alice's board: rectangles A and B and a note; returns their ids (A, B, note). */
async function seed(alice: BoardPage, boardId: string): Promise<[string, string, string]> {
  await alice.drawRectangle({ x: 300, y: 150 }, { x: 400, y: 230 });
  await alice.drawRectangle({ x: 450, y: 150 }, { x: 550, y: 230 });
  const note = await withPeer(boardId, (board) => {
    const id = addShape(board, { type: 'note', x: 300, y: 300, w: 260, h: 160, createdBy: 'Script' });
    setNoteTree(board, id, paragraph('Text in the version'));
    return id;
  });
  await expect.poll(async () => (await alice.shapes()).length).toBe(3);
  const [a, b] = (await alice.shapes()).filter((s) => s.type === 'rect').map((s) => s.id);
  return [a, b, note];
}

test('a version on the canvas: timeline, corrupt versions, differences kept current, bring back, live undo kept', async ({ openUsers, boardId }, testInfo) => {
  test.setTimeout(120_000);
  const [alice, bob] = await openUsers(2);
  const [a, b, note] = await seed(alice, boardId);
  const api: FakeApi = {
    versions: [versionMeta(3), versionMeta(2, { kind: 'named', name: 'Demo start', checkpoint: true, editors: ['Alice', 'Bob'] }), versionMeta(1, { kind: 'pre-restore', name: 'Before restoring x' })],
    corrupt: [3, 7],
    states: new Map([[2, await boardState(boardId)]]),
    requests: [],
  };
  await fakeVersionApi(alice.page, api);

  // the live board moves on: B deleted, a rectangle C drawn, the note rewritten
  await alice.canvas.click({ position: { x: 500, y: 190 } });
  await alice.page.keyboard.press('Delete');
  await alice.drawRectangle({ x: 620, y: 150 }, { x: 720, y: 230 });
  await withPeer(boardId, (board) => setNoteTree(board, note, paragraph('Live text now')) && getNoteFragment(board, note) !== null);
  const c = (await alice.shapes()).find((s) => s.type === 'rect' && s.id !== a)!.id;

  await alice.page.getByTestId('history-button').click();
  const panel = alice.page.getByTestId('history-panel');
  await expect(panel.getByTestId('version-item')).toHaveCount(4); // 3 listed + corrupt id 7 without metadata
  const item = (id: number) => panel.locator(`[data-testid="version-item"][data-version-id="${id}"]`);
  await expect(item(2).getByTestId('version-checkpoint-badge')).toBeVisible();
  await expect(item(2)).toContainText('Demo start');
  await expect(item(2)).toContainText('Alice, Bob');
  await expect(item(2)).toContainText('+2 ~1');
  await expect(item(1)).toContainText('Before restore');
  await expect(item(3)).toContainText('could not be loaded');
  await expect(item(7)).toContainText('could not be loaded');
  expect(api.requests[0]).toBe('GET /versions auth');

  // a version that answers 422 (listed as fine) is reported in the panel, not thrown
  api.versions.unshift(versionMeta(4));
  expect((await history(alice).list()).versions.map((v) => v.id)).toEqual([4, 3, 2, 1]);
  await alice.page.getByTestId('history-close').click();
  await alice.page.getByTestId('history-button').click(); // opening refreshes the list
  await item(4).getByTestId('version-open').click();
  await expect(alice.page.getByTestId('history-notice')).toContainText('could not be loaded');
  await expect(item(4)).toHaveAttribute('data-corrupt', 'true');
  await expect(alice.page.getByTestId('version-bar')).toHaveCount(0);

  // view version 2: read-only on the canvas, differences highlighted, the note shows its version text
  await item(2).getByTestId('version-open').click();
  const bar = alice.page.getByTestId('version-bar');
  await expect(bar).toContainText('Viewing version of');
  await expect(bar).toContainText('Demo start');
  const legend = alice.page.getByTestId('version-diff-legend');
  await expect(legend).toHaveAttribute('data-added', '1');
  await expect(legend).toHaveAttribute('data-changed', '1');
  await expect(legend).toHaveAttribute('data-removed', '1');
  expect((await history(alice).viewing())?.diff).toEqual({ added: [c], changed: [note], removed: [b] });
  await expect(alice.page.locator(`[data-testid="note-preview"][data-note="${note}"]`)).toContainText('Text in the version');
  await expect(alice.page.getByTestId('tool-rectangle')).toHaveCount(0); // no drawing tools on a version
  await alice.page.screenshot({ path: testInfo.outputPath('viewing-version.png') });

  // Bob keeps editing live and Alice still sees him: his cursor, and the new shape as "added since"
  await bob.drawRectangle({ x: 620, y: 300 }, { x: 720, y: 380 });
  await bob.canvas.hover({ position: { x: 700, y: 420 } });
  await expect(legend).toHaveAttribute('data-added', '2');
  await expect(alice.page.locator('[data-testid="remote-cursor"][data-user="Bob"]')).toBeVisible();

  // select B in the version and bring it back: one step on the live board, still viewing
  await alice.canvas.click({ position: { x: 500, y: 190 } });
  await alice.page.getByTestId('version-bring-back').click();
  await expect.poll(async () => (await bob.shapes()).some((s) => s.id === b)).toBe(true);
  await expect(legend).toHaveAttribute('data-removed', '0');
  await alice.page.screenshot({ path: testInfo.outputPath('brought-back.png') });

  // back to live: the undo history from before viewing is intact
  await alice.page.getByTestId('version-back').click();
  await expect(bar).toHaveCount(0);
  await expect(alice.page.getByTestId('tool-rectangle')).toBeVisible();
  await expect(alice.page.locator(`[data-testid="note-preview"][data-note="${note}"]`)).toContainText('Live text now');
  await alice.page.keyboard.press('Control+z'); // the bring back
  await expect.poll(async () => (await alice.shapes()).some((s) => s.id === b)).toBe(false);
  await alice.page.keyboard.press('Control+z'); // drawing C, from before viewing
  await expect.poll(async () => (await alice.shapes()).some((s) => s.id === c)).toBe(false);
  await alice.page.keyboard.press('Control+z'); // deleting B
  await expect.poll(async () => (await alice.shapes()).some((s) => s.id === b)).toBe(true);

  // reset to the checkpoint: the confirmation counts what it would undo (Bob's rectangle, the note's text)
  await alice.page.getByTestId('reset-checkpoint').click();
  await expect(alice.page.getByTestId('reset-confirm-text')).toHaveAttribute('data-count', '2');
  await alice.page.screenshot({ path: testInfo.outputPath('reset-confirm.png') });
  await alice.page.getByTestId('reset-cancel').click();
  await expect(alice.page.getByTestId('reset-dialog')).toHaveCount(0);

  // mark another checkpoint: PUT, then the list shows the badge there
  await item(1).getByTestId('version-mark-checkpoint').click();
  await expect(item(1).getByTestId('version-checkpoint-badge')).toBeVisible();
  await expect(item(2).getByTestId('version-checkpoint-badge')).toHaveCount(0);
  expect(api.requests).toContain('PUT /checkpoint auth');

  // the board menu's "Delete board" asks first (the panel covers the menu: close it)
  await alice.page.getByTestId('history-close').click();
  await alice.page.getByTestId('delete-board').click();
  await expect(alice.page.getByTestId('delete-board-dialog')).toContainText('Everyone on it is disconnected');
  await alice.page.screenshot({ path: testInfo.outputPath('delete-board.png') });
  await alice.page.keyboard.press('Escape');
  await expect(alice.page.getByTestId('delete-board-dialog')).toHaveCount(0);
});

test('viewers read history but get no controls that change it', async ({ openUsers, openViewers, boardId }, testInfo) => {
  const [alice] = await openUsers(1);
  await seed(alice, boardId);
  const [victor] = await openViewers(1);
  const api: FakeApi = { versions: [versionMeta(2, { checkpoint: true })], corrupt: [], states: new Map([[2, await boardState(boardId)]]), requests: [] };
  await fakeVersionApi(victor.page, api);

  await victor.page.getByTestId('history-button').click();
  await expect(victor.page.getByTestId('version-item')).toHaveCount(1);
  for (const id of ['save-version', 'reset-checkpoint', 'version-mark-checkpoint', 'version-clear-checkpoint', 'version-delete', 'version-rename']) {
    await expect(victor.page.getByTestId(id)).toHaveCount(0);
  }
  await victor.page.getByTestId('version-open').click();
  await expect(victor.page.getByTestId('version-bar')).toBeVisible();
  await victor.canvas.click({ position: { x: 350, y: 190 } });
  expect(await victor.page.evaluate(() => window.commonboard!.getShapes().length)).toBe(3);
  for (const id of ['version-restore', 'version-bring-back', 'delete-board']) await expect(victor.page.getByTestId(id)).toHaveCount(0);
  await victor.page.screenshot({ path: testInfo.outputPath('viewer-viewing.png') });
  await victor.page.getByTestId('version-back').click();
  await expect(victor.page.getByTestId('version-bar')).toHaveCount(0);
});
