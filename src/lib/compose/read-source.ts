/**
 * Reading a file of the repository safely: it must stay inside the repository (symlinks
 * included), be of reasonable size, be text, and be UTF-8. Anything else is a diagnostic that
 * names the file, never an exception.
 */
import { lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../model/types.ts';

/**
 * Largest file the loader reads; larger files are refused before being read. A homelab's whole
 * set of stacks is a few hundred kilobytes; parsing YAML costs about three seconds per megabyte,
 * so this bound keeps every file (and every hostile one) to a few seconds.
 */
export const MAX_FILE_BYTES = 1024 * 1024;

export interface SourceText {
  readonly text?: string;
  readonly diagnostics: readonly Diagnostic[];
  readonly missing?: boolean;
}

const fileProblem = (file: string, code: string, message: string, line = 0, column = 0): Diagnostic => ({
  severity: 'error', file, line, column, code, message,
});

/**
 * Reads `relativePath` below `root` (both resolved by the caller; `relativePath` is POSIX).
 * A missing file returns `missing: true` and no diagnostic: callers decide whether that matters.
 *
 * The file-system calls are synchronous: a compose file is a few KB, each promise-based call
 * costs a thread hop, and a missing file (an `.env` that is not there) would cost an error with a
 * stack. The function stays async for its callers.
 */
export async function readSourceFile(root: string, relativePath: string): Promise<SourceText> {
  return readSourceFileSync(root, relativePath);
}

/** `readSourceFile`, synchronously. */
export function readSourceFileSync(root: string, relativePath: string): SourceText {
  const absolute = path.join(root, ...relativePath.split('/'));
  let info;
  try {
    info = lstatSync(absolute, { throwIfNoEntry: false });
  } catch {
    // A path through a file (ENOTDIR), an unreadable folder, a name too long: nothing to read there.
    info = undefined;
  }
  if (!info) return { diagnostics: [], missing: true };
  // Resolve every link on the way (the file's own, or a linked folder above it), then make sure
  // the real file is still inside the repository.
  let target: string;
  try {
    target = realpathSync.native(absolute);
  } catch (error) {
    const loop = (error as NodeJS.ErrnoException).code === 'ELOOP';
    return {
      diagnostics: [fileProblem(relativePath, loop ? 'file-symlink-loop' : 'file-symlink-broken', loop
        ? 'this symbolic link points back at itself (a symlink loop); replace it with the real file'
        : 'this symbolic link points at a file that does not exist; fix or remove the link')],
    };
  }
  const inside = path.relative(realpathSync.native(root), target);
  if (inside.startsWith('..') || path.isAbsolute(inside)) {
    const how = info.isSymbolicLink() ? 'this symbolic link leads' : 'a symbolic link in this path leads';
    return { diagnostics: [fileProblem(relativePath, 'file-outside-repository', `${how} outside the repository, so it is not read; copy the file into the repository instead`)] };
  }
  if (info.isSymbolicLink()) info = statSync(target);
  if (!info.isFile()) return { diagnostics: [fileProblem(relativePath, 'file-not-regular', 'this is not a regular file (a folder, device or pipe), so it is not read')] };
  if (info.size > MAX_FILE_BYTES) {
    return {
      diagnostics: [fileProblem(relativePath, 'file-too-large', `the file is ${(info.size / 1048576).toFixed(1)} MiB; compose-wiki reads files up to ${MAX_FILE_BYTES / 1048576} MiB. Split it, or check that it is really a compose file`)],
    };
  }
  return decodeText(relativePath, readFileSync(target));
}

/** Decodes bytes as UTF-8 (a BOM is dropped); refuses binary data and other encodings clearly. */
export function decodeText(file: string, bytes: Uint8Array): SourceText {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    const order = bytes[0] === 0xff ? 'LE' : 'BE';
    return { diagnostics: [fileProblem(file, 'file-encoding', `the file is encoded as UTF-16 ${order}; save it as UTF-8 (Compose reads only UTF-8)`, 1, 1)] };
  }
  const utf16 = utf16WithoutBom(bytes);
  if (utf16) {
    return { diagnostics: [fileProblem(file, 'file-encoding', `the file looks encoded as UTF-16 ${utf16} (without a byte order mark); save it as UTF-8 (Compose reads only UTF-8)`, 1, 1)] };
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    const { line, column } = positionOfByte(bytes, nul);
    return { diagnostics: [fileProblem(file, 'file-binary', 'the file contains a NUL byte: it is binary, not a YAML text file', line, column)] };
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { text: text.startsWith('\uFEFF') ? text.slice(1) : text, diagnostics: [] };
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const { line, column } = positionOfByte(bytes, bad);
    return { diagnostics: [fileProblem(file, 'file-encoding', `invalid UTF-8 at byte ${bad}; save the file as UTF-8`, line, column)] };
  }
}

/** UTF-16 text without a BOM: ASCII characters leave every other byte zero. */
function utf16WithoutBom(bytes: Uint8Array): 'LE' | 'BE' | undefined {
  const sample = Math.min(bytes.length, 512) & ~1;
  if (sample < 4) return undefined;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < sample; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const pairs = sample / 2;
  if (oddZero >= pairs * 0.9 && evenZero === 0) return 'LE';
  if (evenZero >= pairs * 0.9 && oddZero === 0) return 'BE';
  return undefined;
}

function positionOfByte(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i] as number;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (length === 0) return i;
    for (let k = 1; k < length; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += length;
  }
  return 0;
}
