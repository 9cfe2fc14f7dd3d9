import { describe, expect, it } from 'vitest';
import { inviteLink } from './api';
import { roleSentence } from './format';

describe('inviteLink', () => {
  it('turns the path the server answers into the full link to send', () => {
    expect(inviteLink('https://logs.example.com', '/invite/abc123')).toBe('https://logs.example.com/invite/abc123');
    expect(inviteLink('http://127.0.0.1:3100', 'https://other.example/invite/x')).toBe(
      'https://other.example/invite/x',
    );
  });
});

describe('roleSentence', () => {
  it('reads each role description as a sentence with the right article', () => {
    expect(roleSentence('viewer')).toMatch(/^A viewer sees analytics and the dashboard; .+\.$/);
    expect(roleSentence('editor')).toMatch(/^An editor sees every prompt's logs/);
    expect(roleSentence('admin')).toMatch(/^An admin also manages members/);
  });
});
