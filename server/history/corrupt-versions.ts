/**
 * Versions whose stored state failed to load (VersionCorruptError), remembered so the version list
 * can say which ones are broken without loading every state: listing stays a metadata read, and a
 * version is known to be corrupt once anything (a preview, a restore, a capture's rebuild) tried
 * it. In memory, per server: bounded, oldest boards forgotten first.
 */
const MAX_BOARDS = 1_000;
const MAX_PER_BOARD = 1_000;

export class CorruptVersions {
  private readonly boards = new Map<string, Set<number>>();

  add(boardId: string, id: number): void {
    let ids = this.boards.get(boardId);
    if (!ids) {
      if (this.boards.size >= MAX_BOARDS) this.boards.delete(this.boards.keys().next().value!);
      this.boards.set(boardId, (ids = new Set()));
    }
    if (ids.size < MAX_PER_BOARD) ids.add(id);
  }

  /** The ones of `ids` known to be corrupt, in the order given. */
  among(boardId: string, ids: readonly number[]): number[] {
    const known = this.boards.get(boardId);
    return known ? ids.filter((id) => known.has(id)) : [];
  }

  /** The version was deleted (or the board purged: id omitted). */
  forget(boardId: string, id?: number): void {
    if (id === undefined) this.boards.delete(boardId);
    else this.boards.get(boardId)?.delete(id);
  }
}
