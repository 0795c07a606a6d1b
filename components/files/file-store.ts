/**
 * Per-file upload state of the open board (zustand): what the painter shows on an image shape
 * (uploading / failed with a reason / done) and how many uploads count as "not yet saved". Files this
 * page never uploaded have no entry (another user's image: the server has it or will soon).
 */
import { create } from 'zustand';
import type { FileId } from '@/lib/files/file-contract';
import type { UploadState } from './upload-queue';

type FileStore = {
  uploads: Readonly<Record<string, UploadState>>;
  /** Uploads queued or in flight (shown in the "changes not yet saved" count). */
  pending: number;
  setUpload: (fileId: FileId, state: UploadState) => void;
  reset: () => void;
};

function countPending(uploads: Readonly<Record<string, UploadState>>): number {
  let n = 0;
  for (const s of Object.values(uploads)) if (s.state === 'uploading') n++;
  return n;
}

export const useFileStore = create<FileStore>((set) => ({
  uploads: {},
  pending: 0,
  setUpload: (fileId, state) =>
    set((s) => {
      const uploads = { ...s.uploads, [fileId]: state };
      return { uploads, pending: countPending(uploads) };
    }),
  reset: () => set({ uploads: {}, pending: 0 }),
}));

export function uploadState(fileId: FileId): UploadState | undefined {
  return useFileStore.getState().uploads[fileId];
}
