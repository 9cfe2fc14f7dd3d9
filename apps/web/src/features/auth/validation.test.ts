import { describe, expect, it } from 'vitest';
import { hasErrors, mergeFieldErrors, validateLogin, validateSetup } from './validation';

describe('validateSetup', () => {
  it('asks for every field of an empty form', () => {
    const errors = validateSetup({ email: '', password: '', projectName: '  ' });
    expect(errors).toEqual({
      email: 'Enter your email address.',
      password: 'Use at least 10 characters.',
      projectName: 'Give your first project a name.',
    });
  });

  it('accepts what the server accepts', () => {
    const errors = validateSetup({ email: 'ada@example.com', password: '0123456789', projectName: 'Support bot' });
    expect(hasErrors(errors)).toBe(false);
  });
});

describe('validateLogin', () => {
  it('needs an email address and a password', () => {
    expect(validateLogin({ email: 'not-an-email', password: '' })).toEqual({
      email: 'Enter an email address like name@example.com.',
      password: 'Enter your password.',
    });
  });
});

describe('mergeFieldErrors', () => {
  it('keeps server messages for fields that passed in the browser', () => {
    const client = validateSetup({ email: 'ada@example.com', password: 'short', projectName: 'Bot' });
    const merged = mergeFieldErrors(client, { email: 'Email is already taken', password: 'Too short' });
    expect(merged).toEqual({ email: 'Email is already taken', password: 'Use at least 10 characters.' });
  });
});
