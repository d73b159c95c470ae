// Formatting helpers shared by every page.
const nf = new Intl.NumberFormat("en");
/** Numbers as they are, negatives included (a balance can be below zero). */
export const num = (n: number | null | undefined) => (n === null || n === undefined || Number.isNaN(n) ? "—" : nf.format(n));
export const credits = (n: number, type: "text" | "image" = "text") =>
  `${num(n)} ${type === "image" ? "image credit" : "credit"}${Math.abs(n) === 1 ? "" : "s"}`;

const dtf = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });
const df = new Intl.DateTimeFormat("en", { dateStyle: "medium" });
export const dateTime = (iso: string | number | null | undefined) => {
  if (iso === null || iso === undefined || iso === "") return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : dtf.format(d);
};
export const date = (iso: string | null | undefined) => {
  if (!iso) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : df.format(d);
};
export const usd = (n: number | null | undefined) =>
  n === null || n === undefined ? "—" : new Intl.NumberFormat("en", { style: "currency", currency: "USD", maximumFractionDigits: n < 1 ? 4 : 2 }).format(n);

export const countWords = (s: string) => (s.match(/\S+/g) ?? []).length;
export const plural = (n: number, one: string, many = `${one}s`) => `${num(n)} ${n === 1 ? one : many}`;
