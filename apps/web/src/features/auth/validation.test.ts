import { describe, expect, it } from 'vitest';
import {
  hasErrors,
  mergeFieldErrors,
  validateChangePassword,
  validateLogin,
  validateNewAccount,
  validateSetup,
} from './validation';

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

describe('validateNewAccount', () => {
  it('applies the setup rules to an invited account', () => {
    expect(validateNewAccount({ email: 'ada@', password: 'short' })).toEqual({
      email: 'Enter an email address like name@example.com.',
      password: 'Use at least 10 characters.',
    });
    expect(hasErrors(validateNewAccount({ email: 'ada@example.com', password: '0123456789' }))).toBe(false);
  });
});

describe('validateChangePassword', () => {
  it('needs the current password, a long enough new one and the same one twice', () => {
    expect(validateChangePassword({ currentPassword: '', newPassword: 'short', confirmPassword: 'shorter' })).toEqual({
      currentPassword: 'Enter your current password.',
      newPassword: 'Use at least 10 characters.',
      confirmPassword: 'The two new passwords do not match.',
    });
  });

  it('refuses a new password equal to the current one', () => {
    const errors = validateChangePassword({
      currentPassword: 'the same password',
      newPassword: 'the same password',
      confirmPassword: 'the same password',
    });
    expect(errors.newPassword).toBe('Choose a password different from the current one.');
  });

  it('accepts a valid change', () => {
    const form = { currentPassword: 'old password!', newPassword: 'new password!', confirmPassword: 'new password!' };
    expect(hasErrors(validateChangePassword(form))).toBe(false);
  });
});
