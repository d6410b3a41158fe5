// Which Debian mirror the test roots are built from: the host's apt sources, or LXCHA_DEBIAN_MIRROR.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { debianMirror, parseDeb822, parseSourcesList } from '../../../tools/lib/debian-mirror.js';

let etc = '';
beforeEach(() => {
  etc = mkdtempSync(path.join(tmpdir(), 'lxcha-apt-'));
  mkdirSync(path.join(etc, 'sources.list.d'));
});
afterEach(() => rmSync(etc, { recursive: true, force: true }));

const debian12 = `Types: deb
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://mirror.example/debian-security
Suites: bookworm-security
Components: main
`;

describe('the Debian mirror of the host', () => {
  it('takes the first Debian archive of a deb822 file, not its security archive', () => {
    writeFileSync(path.join(etc, 'sources.list.d/debian.sources'), debian12);
    expect(debianMirror({}, etc)).toBe('http://mirror.example/debian');
  });

  it('skips a third-party repository listed first and a disabled stanza', () => {
    writeFileSync(
      path.join(etc, 'sources.list.d/a-vendor.list'),
      'deb [signed-by=/k.gpg] https://vendor.example/apt stable-vendor main\n',
    );
    writeFileSync(
      path.join(etc, 'sources.list.d/b.sources'),
      'Types: deb\nURIs: http://old.example/debian\nSuites: bookworm\nEnabled: no\n\n' + debian12,
    );
    expect(debianMirror({}, etc)).toBe('http://mirror.example/debian');
  });

  it('reads one-line sources.list entries', () => {
    writeFileSync(path.join(etc, 'sources.list'), '# comment\ndeb http://m.example/debian trixie main\n');
    expect(debianMirror({}, etc)).toBe('http://m.example/debian');
    expect(parseSourcesList('deb-src http://x/debian bookworm main')).toEqual([]);
  });

  it('refuses an Ubuntu host, naming the variable that sets a mirror', () => {
    writeFileSync(
      path.join(etc, 'sources.list.d/ubuntu.sources'),
      'Types: deb\nURIs: http://archive.ubuntu.example/ubuntu/\nSuites: noble noble-updates\nComponents: main\n',
    );
    expect(() => debianMirror({}, etc)).toThrow(/name no Debian archive.*set LXCHA_DEBIAN_MIRROR/);
  });

  it('uses LXCHA_DEBIAN_MIRROR first, and rejects a value that is not a URL', () => {
    expect(debianMirror({ LXCHA_DEBIAN_MIRROR: 'http://given.example/debian' }, etc)).toBe(
      'http://given.example/debian',
    );
    expect(() => debianMirror({ LXCHA_DEBIAN_MIRROR: 'mirror please' }, etc)).toThrow(
      /LXCHA_DEBIAN_MIRROR="mirror please" is not an http/,
    );
  });

  it('keeps every URI of a stanza with its suites', () => {
    expect(
      parseDeb822('Types: deb deb-src\nURIs: http://a/debian http://b/debian\nSuites: bookworm\n'),
    ).toEqual([
      { uri: 'http://a/debian', suites: ['bookworm'] },
      { uri: 'http://b/debian', suites: ['bookworm'] },
    ]);
  });
});
