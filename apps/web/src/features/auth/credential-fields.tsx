import { TextField } from '../../components/text-field';
import { MIN_PASSWORD_LENGTH } from './validation';

type Credentials = { email: string; password: string };

/** The email and password fields of logging in (`purpose="login"`) or creating an account. */
export function CredentialFields<T extends Credentials>({
  form,
  onChange,
  errors,
  purpose,
}: {
  form: T;
  onChange: (next: T) => void;
  errors: Partial<Record<keyof Credentials, string>>;
  purpose: 'login' | 'new-account';
}) {
  const newAccount = purpose === 'new-account';
  return (
    <>
      <TextField
        label="Email"
        type="email"
        name="email"
        autoComplete="username"
        required
        value={form.email}
        error={errors.email}
        onChange={(event) => onChange({ ...form, email: event.target.value })}
      />
      <TextField
        label="Password"
        type="password"
        name="password"
        autoComplete={newAccount ? 'new-password' : 'current-password'}
        required
        minLength={newAccount ? MIN_PASSWORD_LENGTH : undefined}
        hint={newAccount ? `At least ${MIN_PASSWORD_LENGTH} characters.` : undefined}
        value={form.password}
        error={errors.password}
        onChange={(event) => onChange({ ...form, password: event.target.value })}
      />
    </>
  );
}
