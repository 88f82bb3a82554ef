/**
 * Reading manifests as kubectl does: `-f FILE|DIR|-` (several allowed), multi-document YAML or JSON,
 * directories by their .yaml/.yml/.json files (recursively with -R), `kind: List` unwrapped. Each object
 * remembers where it came from so every later error can name the file and document.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** One object of a manifest file. */
export interface ManifestDocument {
  /** The file path, or `<stdin>`. */
  source: string;
  /** 1-based position of the YAML document in its file. */
  document: number;
  object: Record<string, unknown>;
}

/** A manifest that cannot be read or parsed, or an object that is invalid: names where and what. */
export class ManifestError extends Error {
  constructor(
    readonly location: string,
    readonly problem: string,
  ) {
    super(`${location}: ${problem}`);
    this.name = 'ManifestError';
  }
}

const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

export interface LoadOptions {
  /** Descend into subdirectories of a directory argument (kubectl -R). */
  recursive?: boolean;
  /** Reads standard input for `-`; process.stdin by default. */
  readStdin?: () => Promise<string>;
}

/** Reads every object of the given files, directories and `-`, in argument then file-name order. */
export async function loadManifests(paths: readonly string[], options: LoadOptions = {}): Promise<ManifestDocument[]> {
  const documents: ManifestDocument[] = [];
  for (const path of paths) {
    if (path === '-') {
      documents.push(...parseManifestText(await (options.readStdin ?? readStandardInput)(), '<stdin>'));
      continue;
    }
    for (const file of await manifestFiles(path, options.recursive ?? false)) {
      documents.push(...parseManifestText(await readFile(file, 'utf8'), file));
    }
  }
  return documents;
}

async function manifestFiles(path: string, recursive: boolean): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new ManifestError(path, 'the path does not exist');
  }
  if (!info.isDirectory()) return [path];
  const files: string[] = [];
  const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) {
      if (recursive) files.push(...(await manifestFiles(child, true)));
    } else if (MANIFEST_EXTENSIONS.some((extension) => entry.name.endsWith(extension))) files.push(child);
  }
  return files;
}

async function readStandardInput(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses the objects of one file's text; empty documents are skipped, `kind: List` items unwrapped. */
export function parseManifestText(text: string, source: string): ManifestDocument[] {
  const documents: ManifestDocument[] = [];
  parseAllDocuments(text, { uniqueKeys: true, prettyErrors: false }).forEach((parsed, index) => {
    const location = `${source} (document ${index + 1})`;
    const problem = parsed.errors[0];
    if (problem) throw new ManifestError(location, `YAML: ${problem.message.split('\n')[0]}`);
    // YAML 1.1 types stay off: `on`/`yes` are strings, as in Kubernetes' YAML reader for JSON-compatible values.
    let value: unknown;
    try {
      value = parsed.toJS({ maxAliasCount: 100 });
    } catch (error) {
      // An alias to an anchor that is never set, or one that expands past maxAliasCount (issue 12 fuzzing).
      throw new ManifestError(location, `YAML: ${(error as Error).message.split('\n')[0]}`);
    }
    if (value === null || value === undefined) return;
    if (typeof value !== 'object' || Array.isArray(value)) throw new ManifestError(location, 'a manifest must be a mapping (apiVersion, kind, metadata, ...)');
    const object = value as Record<string, unknown>;
    if (object.kind === 'List' && Array.isArray(object.items)) {
      for (const item of object.items) {
        if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new ManifestError(location, 'every item of a List must be a mapping');
        documents.push({ source, document: index + 1, object: item as Record<string, unknown> });
      }
      return;
    }
    documents.push({ source, document: index + 1, object });
  });
  return documents;
}

/** `file (document N)`: where a document came from. */
export function documentLocation(document: ManifestDocument): string {
  return `${document.source} (document ${document.document})`;
}
