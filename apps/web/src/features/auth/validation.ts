import type { LoginRequest, SetupRequest } from '@promptlog/contracts';
import { PASSWORD_LENGTH } from '@promptlog/contracts/rules';

export type FieldErrors<Field extends string> = Partial<Record<Field, string>>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const MIN_PASSWORD_LENGTH = PASSWORD_LENGTH.min;

function emailError(email: string): string | undefined {
  if (email.trim() === '') return 'Enter your email address.';
  if (!EMAIL.test(email.trim())) return 'Enter an email address like name@example.com.';
  return undefined;
}

export function validateLogin(form: LoginRequest): FieldErrors<keyof LoginRequest> {
  return {
    email: emailError(form.email),
    password: form.password === '' ? 'Enter your password.' : undefined,
  };
}

function newPasswordError(password: string): string | undefined {
  return password.length < MIN_PASSWORD_LENGTH ? `Use at least ${MIN_PASSWORD_LENGTH} characters.` : undefined;
}

export function validateSetup(form: SetupRequest): FieldErrors<keyof SetupRequest> {
  return {
    email: emailError(form.email),
    password: newPasswordError(form.password),
    projectName: form.projectName.trim() === '' ? 'Give your first project a name.' : undefined,
  };
}

export type NewAccountForm = { email: string; password: string };

/** Creating an account from an invite: the same rules as the first admin's. */
export function validateNewAccount(form: NewAccountForm): FieldErrors<keyof NewAccountForm> {
  return { email: emailError(form.email), password: newPasswordError(form.password) };
}

export type ChangePasswordForm = { currentPassword: string; newPassword: string; confirmPassword: string };

export function validateChangePassword(form: ChangePasswordForm): FieldErrors<keyof ChangePasswordForm> {
  return {
    currentPassword: form.currentPassword === '' ? 'Enter your current password.' : undefined,
    newPassword:
      newPasswordError(form.newPassword) ??
      (form.newPassword === form.currentPassword ? 'Choose a password different from the current one.' : undefined),
    confirmPassword: form.confirmPassword !== form.newPassword ? 'The two new passwords do not match.' : undefined,
  };
}

/** Field messages from `preferred` where it has one, otherwise from `fallback`. */
export function mergeFieldErrors<Field extends string>(
  preferred: FieldErrors<Field>,
  fallback: FieldErrors<Field>,
): FieldErrors<Field> {
  return { ...fallback, ...Object.fromEntries(Object.entries(preferred).filter(([, message]) => Boolean(message))) };
}

export function hasErrors(errors: Record<string, string | undefined>): boolean {
  return Object.values(errors).some(Boolean);
}

/** Moves focus to the first named control that has an error, so keyboard and screen-reader users land on it. */
export function focusFirstInvalid(form: HTMLFormElement, errors: Record<string, string | undefined>): void {
  for (const element of Array.from(form.elements)) {
    if (element instanceof HTMLInputElement && errors[element.name]) {
      element.focus();
      return;
    }
  }
}
