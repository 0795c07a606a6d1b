/** A refusal of a file request, with its contract code (lib/files/file-contract.ts) and status. */
import { FILE_ERROR_STATUS, fileErrorText, type FileErrorCode } from '../../lib/files/file-contract';

export class FileError extends Error {
  readonly status: number;

  constructor(
    readonly code: FileErrorCode,
    /** For the log and the JSON `message`; defaults to the contract's words for the user. */
    message: string = fileErrorText(code),
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.status = FILE_ERROR_STATUS[code];
  }
}

/** The client went away mid-request: nothing to answer. */
export class ClientGone extends Error {}
