// Passwords: the rules of SECURITY.md, checked as the author types, and the input for one, with the
// autocomplete that lets password managers tell a current password from a new one.
import { TextField, type TextFieldProps } from "./Field";

export function passwordProblem(p: string): string | undefined {
  if (p.length < 8) return "At least 8 characters";
  if (!/[a-z]/.test(p)) return "Needs a lowercase letter";
  if (!/[A-Z]/.test(p)) return "Needs an uppercase letter";
  if (!/\d/.test(p)) return "Needs a digit";
  if (!/[^A-Za-z0-9]/.test(p)) return "Needs a symbol";
  return undefined;
}

export const PASSWORD_HINT = "8+ characters with a lowercase and an uppercase letter, a digit and a symbol.";

export function PasswordField({ isNew, ...rest }: Omit<TextFieldProps, "type" | "autocomplete"> & { isNew?: boolean }) {
  return <TextField type="password" autocomplete={isNew ? "new-password" : "current-password"} {...rest} />;
}
