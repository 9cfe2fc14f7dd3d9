import { describe, expect, it } from 'vitest';
import { isAppPath } from './spa';

describe('which paths the web app answers with index.html', () => {
  it('answers client routes, prompt keys with dots, colons and encoded slashes included', () => {
    for (const path of [
      '/',
      '/dashboard',
      '/prompts/support.reply:v2',
      '/prompts/team%2Fsupport',
      '/traces/50%25',
      '/x/%',
    ]) {
      expect(isAppPath(path), path).toBe(true);
    }
  });

  it('leaves the API and missing hashed assets to their 404s', () => {
    for (const path of ['/api', '/api/v1/nothing', '/assets/index-0000.js']) expect(isAppPath(path), path).toBe(false);
  });

  it('refuses a path that climbs out, however it is encoded', () => {
    const climbing = [
      '/../package.json',
      '/..%2fpackage.json',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/%252e%252e%252fpackage.json',
      '/..\\package.json',
      '/..%5cpackage.json',
      '/index.html%00.js',
      '/prompts/./x',
      'http://127.0.0.1/../package.json',
    ];
    for (const path of climbing) expect(isAppPath(path), path).toBe(false);
  });
});
