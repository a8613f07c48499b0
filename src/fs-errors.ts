// What a file-system failure means, in the words `nnc: cannot read/write PATH: …` ends with. One table for
// every reader and writer, so a symlink loop, a name too long and a permission problem never all read
// "no such file".

const REASONS: Record<string, string> = {
  ENOENT: "no such file",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EISDIR: "it is a directory",
  ENOTDIR: "a part of the path is a file, not a folder",
  ELOOP: "too many levels of symbolic links (a symlink loop?)",
  ENAMETOOLONG: "file name too long",
  EROFS: "read-only file system",
  ENOSPC: "no space left on device",
  EDQUOT: "disk quota exceeded",
  EFBIG: "file too large for this file system",
  EMFILE: "too many open files",
  ENFILE: "too many open files in the system",
  EIO: "input/output error",
  EBUSY: "the file is busy",
  ETXTBSY: "the file is busy (a running program)",
  EXDEV: "cannot rename across file systems",
  EEXIST: "it already exists",
  EINVAL: "invalid argument",
  EPIPE: "the reader went away (broken pipe)",
  EAGAIN: "no data available yet (a pipe or device?)",
};

/** The node error's code, if it has one (`ENOENT`, …). */
export function fsErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** "permission denied", "read-only file system", …; the error's own message for codes not in the table. */
export function describeFsError(error: unknown): string {
  const code = fsErrorCode(error);
  if (code !== undefined && code in REASONS) return REASONS[code]!;
  const message = error instanceof Error ? error.message : String(error);
  // Node's messages start with "CODE: …, open 'path'": keep the words, drop the path (the caller names it).
  return message.replace(/, \w+ '.*'$/, "").replace(/^[A-Z]+: /, "");
}
