// The one rule for a new password, used by the CLI, the first-admin bootstrap and any API that sets
// one. Long enough, and not one of the passwords guessed first: a breached-password list is the
// stronger check, but it needs a download this server does not make.

export const PASSWORD_MIN_LENGTH = 8;
/** scrypt takes any length; the bound keeps a pasted file from becoming a password. */
export const PASSWORD_MAX_LENGTH = 1024;

/** The most common passwords of public breach tallies that are 8 characters or longer, lower case. */
const COMMON_PASSWORDS = new Set([
  '12345678',
  '123456789',
  '1234567890',
  '123123123',
  '11111111',
  '00000000',
  '87654321',
  '12341234',
  '11223344',
  'password',
  'password1',
  'password123',
  'passw0rd',
  'p@ssw0rd',
  'qwertyui',
  'qwerty123',
  'qwertyuiop',
  '1q2w3e4r',
  '1qaz2wsx',
  'iloveyou',
  'sunshine',
  'princess',
  'football',
  'baseball',
  'superman',
  'trustno1',
  'welcome1',
  'whatever',
  'starwars',
  'computer',
  'michelle',
  'jennifer',
  'changeme',
  'letmein1',
  'abcd1234',
  'asdfghjkl',
  'zaq12wsx',
  'administrator',
  'admin123',
  'switchboard',
]);

/** Why this password may not be set, or undefined when it may. */
export function passwordProblem(password: string): string | undefined {
  if ([...password].length < PASSWORD_MIN_LENGTH) return `The password must be at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (password.length > PASSWORD_MAX_LENGTH) return `The password may not be longer than ${PASSWORD_MAX_LENGTH} characters.`;
  if (COMMON_PASSWORDS.has(password.toLowerCase())) return 'This password is among the most common ones; choose another.';
  return undefined;
}
