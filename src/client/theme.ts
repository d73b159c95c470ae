// Light, dark, or the system's choice; stored per browser. The stylesheet reads data-theme,
// which always names the theme on screen ("system" is resolved here, and followed when the
// system changes), so the stylesheet needs one dark palette, not one per way of choosing it.
import { store } from "./store";

export type Theme = "system" | "light" | "dark";
const KEY = "novelapp:theme";

const saved = (): Theme => {
  try {
    const t = localStorage.getItem(KEY);
    return t === "light" || t === "dark" ? t : "system";
  } catch {
    return "system";
  }
};

export const theme = store<Theme>(saved());

const systemDark = matchMedia("(prefers-color-scheme: dark)");
function apply(t: Theme) {
  document.documentElement.dataset.theme = t === "system" ? (systemDark.matches ? "dark" : "light") : t;
}
apply(theme.get());
systemDark.addEventListener("change", () => apply(theme.get()));
theme.subscribe((t) => {
  apply(t);
  try {
    if (t === "system") localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, t);
  } catch {
    /* private mode */
  }
});
