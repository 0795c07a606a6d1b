/**
 * Moving an existing single-server install to scale-out: copies every board of a SQLite file
 * (DATA_DIR/commonboard.db) into PostgreSQL. Each board becomes one merged update (seq 1), so
 * history granularity is not kept, content is. Boards the target already has are left alone,
 * so a rerun after an interruption only copies the rest. Run it with the servers stopped.
 *
 * Share links keep their keys (the links people hold go on working); their versions restart
 * at 1, so connection tokens minted before the copy (valid 10 minutes) are refused once.
 */
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import type { PostgresStorage } from '../persistence/postgres';
import { SqliteStorage } from '../persistence/sqlite';

export interface CopyResult {
  copied: string[];
  skipped: string[];
}

export async function copySqliteToPostgres(sqliteFile: string, target: PostgresStorage): Promise<CopyResult> {
  const list = new Database(sqliteFile, { readonly: true, fileMustExist: true });
  const boardIds = list
    .prepare<[], { id: string }>(
      'SELECT board_id AS id FROM updates UNION SELECT board_id FROM snapshots UNION SELECT board_id FROM board_links ORDER BY 1',
    )
    .all()
    .map((r) => r.id);
  list.close();
  const source = new SqliteStorage(sqliteFile);
  const result: CopyResult = { copied: [], skipped: [] };
  try {
    for (const boardId of boardIds) {
      const existing = await target.load(boardId);
      if (existing.lastSeq > 0 || (await target.getBoardLinks(boardId))) {
        result.skipped.push(boardId);
        continue;
      }
      const stored = await source.load(boardId);
      const parts = [...(stored.snapshot ? [stored.snapshot] : []), ...stored.updates];
      // our own file, written by a server that validated every update: merging is safe here
      if (parts.length > 0) await target.appendUpdates(boardId, [parts.length === 1 ? parts[0] : Y.mergeUpdates(parts)]);
      const links = await source.getBoardLinks(boardId);
      if (links) await target.createBoardLinks(boardId, { edit: links.edit.key, view: links.view.key });
      result.copied.push(boardId);
    }
  } finally {
    await source.close();
  }
  return result;
}
