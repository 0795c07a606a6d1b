/**
 * `npm run copy-to-postgres` for files: every board's references and the files' stored forms, from
 * DATA_DIR/files + SQLite into the Postgres file store. Files the target has already get only the
 * missing references, so a rerun after an interruption copies the rest. No quota: the boards had
 * them already. Run it with the servers stopped, like the board copy (server/scale/copy-sqlite.ts).
 */
import type { DiskFileStore } from './disk-store';
import type { PostgresFileStore } from './postgres-store';
import { FORMS, formBytes, type StagedForm } from './store';

export interface FileCopyResult {
  /** Files whose bytes were copied. */
  files: number;
  /** References added to files already in Postgres. */
  references: number;
}

export async function copyFilesToPostgres(source: DiskFileStore, target: PostgresFileStore): Promise<FileCopyResult> {
  const result: FileCopyResult = { files: 0, references: 0 };
  for (const { boardId, file } of source.references()) {
    const outcome = await target.reference(boardId, file.id, Number.MAX_SAFE_INTEGER);
    if (outcome === 'referenced') result.references++;
    if (outcome) continue;
    // the stored forms are read in place: the Postgres store only reads its staged paths
    const forms: StagedForm[] = FORMS.filter((form) => form === 'original' || file.forms[form] !== undefined).map((form) => ({
      form,
      path: source.pathOf(file.id, form),
      bytes: formBytes(file, form),
    }));
    const { forms: _sizes, ...info } = file;
    void _sizes;
    if ((await target.put(boardId, { info, forms }, Number.MAX_SAFE_INTEGER)) === 'stored') result.files++;
    else result.references++;
  }
  return result;
}
