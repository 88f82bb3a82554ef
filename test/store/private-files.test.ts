// Issue 12 item 6: the SQLite data folder is 0700 and rolecall.db, -wal and -shm are 0600 whatever the
// umask; looser modes found at start are tightened with a warning. Before, under umask 022 the folder
// was 0755 and the files 0644, so any local user could read every sealed secret and the key sealing them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite-store.js';

const mode = (path: string) => statSync(path).mode & 0o777;

async function withUmask<T>(umask: number, work: () => Promise<T>): Promise<T> {
  const previous = process.umask(umask);
  try {
    return await work();
  } finally {
    process.umask(previous);
  }
}

for (const umask of [0o022, 0o000, 0o002]) {
  test(`issue 12.6: under umask 0${umask.toString(8).padStart(3, '0')} a new data folder is 0700 and rolecall.db, -wal, -shm are 0600`, async () => {
    const root = mkdtempSync(join(tmpdir(), 'rolecall-private-'));
    try {
      const folder = join(root, 'data');
      const file = join(folder, 'rolecall.db');
      const warnings: string[] = [];
      await withUmask(umask, async () => {
        const store = new SqliteStore(file, (m) => warnings.push(m));
        await store.write((tx) => tx.put('setting', '', 'probe', { written: true }));
        assert.equal(mode(folder), 0o700);
        for (const path of [file, `${file}-wal`, `${file}-shm`]) assert.equal(mode(path), 0o600, path);
        await store.close();
      });
      assert.deepEqual(warnings, [], 'nothing to tighten in a folder Rolecall made');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
}

test('issue 12.6: an existing 0755 folder with a 0644 rolecall.db and -wal is tightened at start, with a warning naming each', async () => {
  const root = mkdtempSync(join(tmpdir(), 'rolecall-private-'));
  try {
    const folder = join(root, 'data');
    const file = join(folder, 'rolecall.db');
    await withUmask(0o022, async () => {
      const first = new SqliteStore(file, () => undefined);
      await first.write((tx) => tx.put('setting', '', 'probe', { written: true }));
      await first.close();
    });
    chmodSync(folder, 0o755);
    chmodSync(file, 0o644);
    writeFileSync(`${file}-wal`, '');
    chmodSync(`${file}-wal`, 0o644);
    const warnings: string[] = [];
    const store = new SqliteStore(file, (m) => warnings.push(m));
    assert.equal(mode(folder), 0o700);
    assert.equal(mode(file), 0o600);
    assert.equal(mode(`${file}-wal`), 0o600);
    assert.deepEqual(await store.read((reader) => reader.get('setting', '', 'probe')), { written: true });
    await store.close();
    assert.equal(warnings.length, 3, warnings.join('\n'));
    assert.match(warnings[0]!, /data folder .*data was mode 0755; tightened to 0700/);
    assert.match(warnings[1]!, /rolecall\.db was mode 0644; tightened to 0600/);
    assert.match(warnings[2]!, /rolecall\.db-wal was mode 0644; tightened to 0600/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('issue 12.6: a data folder nested in new parents gets them created too', async () => {
  const root = mkdtempSync(join(tmpdir(), 'rolecall-private-'));
  try {
    mkdirSync(join(root, 'a'));
    const file = join(root, 'a', 'b', 'c', 'rolecall.db');
    const store = new SqliteStore(file, () => undefined);
    assert.equal(mode(join(root, 'a', 'b', 'c')), 0o700);
    await store.close();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
