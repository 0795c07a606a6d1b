/**
 * Share-link rotation across servers: the server that rotates a link tells the others, so
 * connections opened with the old link are closed wherever they are (not only on that server).
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

  /** A rotation another server made: close our connections only (no re-publish). */
  revokeLocally(boardId: string, kind: LinkKind, version: number): number {
    return super.revokeLink(boardId, kind, version);
  }
}
