/**
 * The version endpoints of the app API (app/api/boards/[boardId]/versions…), typed and validated
 * with the schema every hop shares (lib/history/versions.ts).
 */
import { versionListSchema, versionMetaSchema, type VersionList, type VersionMeta } from '@/lib/history/versions';
import { boardApi, BoardApiError } from '../session/board-api';

/** A version whose stored state the server could not rebuild (HTTP 422). */
export class VersionCorruptError extends BoardApiError {}

export async function listVersions(): Promise<VersionList> {
  const res = await boardApi('/versions');
  return versionListSchema.parse(await res.json());
}

/** The server captures its current doc (so our own edits must be saved first: history-actions.ts). */
export async function createVersion(body: { name?: string; kind: 'named' | 'pre-restore' }): Promise<VersionMeta> {
  const res = await boardApi('/versions', { method: 'POST', json: body });
  return versionMetaSchema.parse(await res.json());
}

/** The version's full Yjs state (lib/board boardFromState reads it). */
export async function loadVersionState(id: number): Promise<Uint8Array> {
  try {
    const res = await boardApi(`/versions/${id}`, { query: { format: 'yjs' } });
    return new Uint8Array(await res.arrayBuffer());
  } catch (err) {
    if (err instanceof BoardApiError && err.status === 422) throw new VersionCorruptError(err.message, err.status);
    throw err;
  }
}

export async function renameVersion(id: number, name: string | null): Promise<void> {
  await boardApi(`/versions/${id}`, { method: 'PATCH', json: { name } });
}

export async function deleteVersion(id: number): Promise<void> {
  await boardApi(`/versions/${id}`, { method: 'DELETE' });
}

/** Marks the board's demo checkpoint (null clears it). */
export async function setCheckpoint(versionId: number | null): Promise<void> {
  await boardApi('/checkpoint', { method: 'PUT', json: { versionId } });
}
