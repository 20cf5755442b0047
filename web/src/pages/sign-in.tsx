import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, signIn } from "../lib/api";
import { type Session, sessionFromToken } from "../lib/session";

export interface SignInPageProps {
  onSignedIn: (session: Session) => void;
  /** Why the user is here again, e.g. "Your session expired, sign in again." */
  notice: string | null;
}

/** Email + password form; the API's own words are shown when sign-in fails. */
export function SignInPage({ onSignedIn, notice }: SignInPageProps) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const emailRef = useRef<HTMLInputElement>(null);
  useEffect(() => emailRef.current?.focus(), []);

  async function submit(event: Event) {
    event.preventDefault();
    if (!email.trim() || !password) {
      setError("Enter your email and password.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const token = await signIn(email.trim(), password);
      onSignedIn(sessionFromToken(token.access_token, email.trim(), token.expires_in));
    } catch (e) {
      setError(e instanceof ApiError ? e.detail : "Sign-in failed; try again.");
      setBusy(false);
    }
  }

  return (
    <main id="main" class="sign-in">
      <h1>eGRID power plants</h1>
      <p class="lede">Net generation of U.S. power plants from EPA eGRID. Sign in to explore.</p>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <form onSubmit={submit} noValidate aria-describedby={error ? "sign-in-error" : undefined}>
        <label for="email">Email</label>
        <input
          id="email"
          ref={emailRef}
          type="email"
          autocomplete="username"
          value={email}
          onInput={(e) => setEmail(e.currentTarget.value)}
          required
        />
        <label for="password">Password</label>
        <input
          id="password"
          type="password"
          autocomplete="current-password"
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
          required
        />
        {error && (
          <p id="sign-in-error" class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
