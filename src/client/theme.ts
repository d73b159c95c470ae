// Light, dark, or the system's choice; stored per browser. The stylesheet reads data-theme.
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

function apply(t: Theme) {
  if (t === "system") delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = t;
}
apply(theme.get());
theme.subscribe((t) => {
  apply(t);
  try {
    if (t === "system") localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, t);
  } catch {
    /* private mode */
  }
});
