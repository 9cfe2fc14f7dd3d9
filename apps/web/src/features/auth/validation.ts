import type { LoginRequest, SetupRequest } from '@promptlog/contracts';

export type FieldErrors<Field extends string> = Partial<Record<Field, string>>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const MIN_PASSWORD_LENGTH = 10;

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

export function validateSetup(form: SetupRequest): FieldErrors<keyof SetupRequest> {
  return {
    email: emailError(form.email),
    password:
      form.password.length < MIN_PASSWORD_LENGTH ? `Use at least ${MIN_PASSWORD_LENGTH} characters.` : undefined,
    projectName: form.projectName.trim() === '' ? 'Give your first project a name.' : undefined,
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
