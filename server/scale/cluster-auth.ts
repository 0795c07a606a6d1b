/**
 * Share-link rotation and board deletion across servers: the server that rotates a link (or trashes
 * a board) tells the others, so connections opened with the old link (to the deleted board) are
 * closed wherever they are, not only on that server. The link sweep enforces both from storage too.
 */
import { BoardAuth } from '../auth/board-auth';
import type { Logger } from '../logger';
import type { LinkKind, Storage } from '../persistence/storage';
import type { ClusterSync } from './cluster-sync';

export class ClusterBoardAuth extends BoardAuth {
  constructor(
    secret: Uint8Array,
    storage: Storage,
    log: Logger,
    private readonly cluster: ClusterSync,
  ) {
    super(secret, storage, log);
  }

  override revokeLink(boardId: string, kind: LinkKind, currentVersion: number): number {
    this.cluster.linkRotated(boardId, kind, currentVersion);
    return super.revokeLink(boardId, kind, currentVersion);
  }

  override boardDeleted(boardId: string): number {
    this.cluster.boardDeleted(boardId);
    return super.boardDeleted(boardId);
  }

  /** A board another server moved to the trash: close our connections only (no re-publish). */
  deletedElsewhere(boardId: string): number {
    return this.closeDeleted(boardId);
  }

  /** A rotation another server made: close our connections only (no re-publish). */
  revokeLocally(boardId: string, kind: LinkKind, version: number): number {
    return super.revokeLink(boardId, kind, version);
  }
}
