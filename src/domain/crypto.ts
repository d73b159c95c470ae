// Small WebCrypto helpers: random tokens, SHA-256, PBKDF2 password hashes.

const enc = new TextEncoder();

export const toBase64Url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

const fromBase64Url = (s: string): Uint8Array<ArrayBuffer> =>
  Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

/** A random URL-safe token with `bytes` bytes of entropy, optionally prefixed (`nvl_…`). */
export const randomToken = (bytes = 32, prefix = "") =>
  prefix + toBase64Url(crypto.getRandomValues(new Uint8Array(bytes)));

export async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", enc.encode(text));
  return toBase64Url(new Uint8Array(digest));
}

/** SHA-256 as lowercase hex: the content hash of prose (digests and checks say which text they describe). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", enc.encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

// Production workerd rejects PBKDF2 above 100 000 iterations (workerd #1346), and local workerd
// does not: a test pins this constant so nobody raises it and breaks every login in production.
export const PBKDF2_ITERATIONS = 100_000;

async function pbkdf2(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", enc.encode(password), "PBKDF2", false, [
    "deriveBits",
  ]);
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations },
    key,
    256,
  );
  return new Uint8Array(bits);
}

/** workerd's constant-time comparison (a non-standard SubtleCrypto extension). */
const timingSafeEqual = (a: Uint8Array, b: Uint8Array) =>
  (crypto.subtle as SubtleCrypto & { timingSafeEqual(a: ArrayBufferView, b: ArrayBufferView): boolean }).timingSafeEqual(a, b);

/** `pbkdf2-sha256$<iterations>$<salt>$<hash>`: self-describing so parameters can change later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await pbkdf2(password, salt, PBKDF2_ITERATIONS);
  return `pbkdf2-sha256$${PBKDF2_ITERATIONS}$${toBase64Url(salt)}$${toBase64Url(hash)}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iter, salt, hash] = stored.split("$");
  const iterations = Number(iter);
  if (scheme !== "pbkdf2-sha256" || !salt || !hash || !(iterations > 0 && iterations <= PBKDF2_ITERATIONS))
    return false;
  const expected = fromBase64Url(hash);
  const actual = await pbkdf2(password, fromBase64Url(salt), iterations);
  return actual.byteLength === expected.byteLength && timingSafeEqual(actual, expected);
}

/** A hash that never matches, checked on unknown logins so timing does not reveal accounts. */
export const DUMMY_PASSWORD_HASH =
  "pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
