/**
 * Extracts a zip archive with Node alone (a fresh machine may have no `unzip`), keeping what the AWS CLI
 * v2 bundle needs from it: directories, stored and deflated files, Unix permission bits and symbolic links.
 * Reads the central directory (the authority on names, sizes and modes), so local headers written with
 * data descriptors are handled too. ZIP64 archives and encrypted entries are refused, not guessed at.
 */
import { chmod, mkdir, open, symlink, writeFile, type FileHandle } from 'node:fs/promises';
import { isAbsolute, join, normalize, sep } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
const END_RECORD_SIZE = 22;
const MAX_COMMENT_SIZE = 0xffff;
const STORED = 0;
const DEFLATED = 8;
const MADE_BY_UNIX = 3;
const FILE_TYPE_MASK = 0o170000;
const SYMLINK_TYPE = 0o120000;
const DIRECTORY_TYPE = 0o040000;

/** One entry of the central directory. */
interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
  /** Unix mode (type and permission bits) when the archive was made on Unix, else 0. */
  unixMode: number;
}

/** Extracts every entry of `zipPath` under `destination` (created if missing). */
export async function extractZip(zipPath: string, destination: string): Promise<void> {
  const archive = await open(zipPath, 'r');
  try {
    const entries = await readCentralDirectory(archive, zipPath);
    await mkdir(destination, { recursive: true });
    for (const entry of entries) await extractEntry(archive, entry, destination);
  } finally {
    await archive.close();
  }
}

async function readCentralDirectory(archive: FileHandle, zipPath: string): Promise<ZipEntry[]> {
  const { size: archiveSize } = await archive.stat();
  const tailSize = Math.min(archiveSize, END_RECORD_SIZE + MAX_COMMENT_SIZE);
  const tail = await readAt(archive, archiveSize - tailSize, tailSize);
  let endRecord = -1;
  for (let offset = tail.length - END_RECORD_SIZE; offset >= 0; offset--) {
    if (tail.readUInt32LE(offset) === END_OF_CENTRAL_DIRECTORY) {
      endRecord = offset;
      break;
    }
  }
  if (endRecord < 0) throw new Error(`${zipPath}: not a zip archive (no end of central directory record)`);
  const entryCount = tail.readUInt16LE(endRecord + 10);
  const directorySize = tail.readUInt32LE(endRecord + 12);
  const directoryOffset = tail.readUInt32LE(endRecord + 16);
  if (entryCount === 0xffff || directoryOffset === 0xffffffff) throw new Error('ZIP64 archives are not supported');

  const directory = await readAt(archive, directoryOffset, directorySize);
  const entries: ZipEntry[] = [];
  let offset = 0;
  for (let index = 0; index < entryCount; index++) {
    if (directory.readUInt32LE(offset) !== CENTRAL_FILE_HEADER) throw new Error(`corrupt central directory at entry ${index}`);
    const madeBy = directory.readUInt16LE(offset + 4) >> 8;
    const nameLength = directory.readUInt16LE(offset + 28);
    const extraLength = directory.readUInt16LE(offset + 30);
    const commentLength = directory.readUInt16LE(offset + 32);
    entries.push({
      flags: directory.readUInt16LE(offset + 8),
      method: directory.readUInt16LE(offset + 10),
      crc: directory.readUInt32LE(offset + 16),
      compressedSize: directory.readUInt32LE(offset + 20),
      size: directory.readUInt32LE(offset + 24),
      unixMode: madeBy === MADE_BY_UNIX ? directory.readUInt32LE(offset + 38) >>> 16 : 0,
      localHeaderOffset: directory.readUInt32LE(offset + 42),
      name: directory.toString('utf8', offset + 46, offset + 46 + nameLength),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

async function extractEntry(archive: FileHandle, entry: ZipEntry, destination: string): Promise<void> {
  const target = safeTarget(destination, entry.name);
  const type = entry.unixMode & FILE_TYPE_MASK;
  const permissions = entry.unixMode & 0o7777;
  if (entry.name.endsWith('/') || type === DIRECTORY_TYPE) {
    await mkdir(target, { recursive: true });
    if (permissions !== 0) await chmod(target, permissions);
    return;
  }
  await mkdir(join(target, '..'), { recursive: true });
  const content = await entryContent(archive, entry);
  if (type === SYMLINK_TYPE) {
    // The link text is kept as written, dangling absolute targets included (the bundle has a few that
    // point at its usual install location); nothing here follows them.
    await symlink(content.toString('utf8'), target);
    return;
  }
  await writeFile(target, content, { mode: permissions === 0 ? 0o644 : permissions });
  if (permissions !== 0) await chmod(target, permissions); // writeFile's mode is filtered by the umask
}

async function entryContent(archive: FileHandle, entry: ZipEntry): Promise<Buffer> {
  if (entry.flags & 0x1) throw new Error(`${entry.name}: encrypted entries are not supported`);
  const header = await readAt(archive, entry.localHeaderOffset, 30);
  if (header.readUInt32LE(0) !== LOCAL_FILE_HEADER) throw new Error(`${entry.name}: corrupt local header`);
  const dataOffset = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  const raw = await readAt(archive, dataOffset, entry.compressedSize);
  const content = entry.method === STORED ? raw : entry.method === DEFLATED ? inflateRawSync(raw) : undefined;
  if (content === undefined) throw new Error(`${entry.name}: compression method ${entry.method} is not supported`);
  if (content.length !== entry.size) throw new Error(`${entry.name}: expected ${entry.size} bytes, got ${content.length}`);
  if (crc32(content) !== entry.crc) throw new Error(`${entry.name}: checksum mismatch`);
  return content;
}

/** The path of an entry under `destination`; refuses names that would escape it ("zip slip"). */
function safeTarget(destination: string, name: string): string {
  const relative = normalize(name);
  if (isAbsolute(relative) || relative === '..' || relative.startsWith(`..${sep}`)) throw new Error(`${name}: entry escapes the destination`);
  return join(destination, relative);
}

async function readAt(archive: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await archive.read(buffer, 0, length, position);
  if (bytesRead !== length) throw new Error(`truncated zip archive: wanted ${length} bytes at ${position}, got ${bytesRead}`);
  return buffer;
}
